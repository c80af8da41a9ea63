package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/orderly-shop/orderly/devstack"
)

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		check func(t *testing.T, c config)
	}{
		{"defaults", nil, nil, func(t *testing.T, c config) {
			if c.httpAddr != "127.0.0.1:8080" || c.database != "orderly" || c.namespace != "default" {
				t.Errorf("addr %s db %s ns %s", c.httpAddr, c.database, c.namespace)
			}
			if !strings.HasSuffix(c.dataDir, "/data") || c.temporalAddress != "" || c.mongoURI != "" {
				t.Errorf("data %s, temporal %q, mongo %q", c.dataDir, c.temporalAddress, c.mongoURI)
			}
			if c.customerPassword != "orderly-demo" || c.adminPassword != "orderly-admin" {
				t.Errorf("demo passwords %q %q", c.customerPassword, c.adminPassword)
			}
			if !strings.Contains(c.corsOrigins, "http://localhost:8080") {
				t.Errorf("origins %s", c.corsOrigins)
			}
		}},
		{"external services", nil, map[string]string{
			"TEMPORAL_ADDRESS": "10.0.0.1:7233", "MONGODB_URI": "mongodb://db/", "DEMO_ADMIN_PASSWORD": "s3cret",
		}, func(t *testing.T, c config) {
			if c.temporalAddress != "10.0.0.1:7233" || c.mongoURI != "mongodb://db/" {
				t.Errorf("temporal %q mongo %q", c.temporalAddress, c.mongoURI)
			}
			if c.temporalUIURL != "http://localhost:8233" || c.adminPassword != "s3cret" {
				t.Errorf("ui %q admin password %q", c.temporalUIURL, c.adminPassword)
			}
		}},
		{"ephemeral picks a free port and no data dir", []string{"-ephemeral"}, nil, func(t *testing.T, c config) {
			if c.httpAddr == "127.0.0.1:8080" || c.dataDir != "" {
				t.Errorf("addr %s data %q", c.httpAddr, c.dataDir)
			}
			if !strings.Contains(c.corsOrigins, c.appURL()) {
				t.Errorf("origins %s lack %s", c.corsOrigins, c.appURL())
			}
		}},
		{"wildcard listen address is reached on loopback", nil, map[string]string{"HTTP_ADDR": ":9090"}, func(t *testing.T, c config) {
			if got := c.serverURL(); got != "http://127.0.0.1:9090" {
				t.Errorf("serverURL %s", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig(tt.args, func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadConfigRejects(t *testing.T) {
	for _, args := range [][]string{{"-no-app", "-exec", "true"}, {"stray"}, {"-unknown"}} {
		if _, err := loadConfig(args, func(string) string { return "" }); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

func TestExplainAddsAHintToPortErrors(t *testing.T) {
	err := explain(&devstack.PortError{Addr: "127.0.0.1:7233", Service: serviceTemporal})
	if want := "port 7233 (Temporal frontend) is in use: stop the other Temporal server or set TEMPORAL_ADDRESS to use it"; err.Error() != want {
		t.Errorf("got %q\nwant %q", err, want)
	}
	other := errors.New("boom")
	if explain(other) != other {
		t.Error("other errors must pass unchanged")
	}
}
