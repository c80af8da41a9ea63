package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/orderly-shop/orderly/devstack"
)

// The services whose ports the launcher claims, as named in port errors.
const (
	serviceTemporal   = "Temporal frontend"
	serviceTemporalUI = "Temporal UI"
	serviceStore      = "store"
	serviceServer     = "Orderly server"
	serviceMetrics    = "Orderly metrics"
)

// Fixed development ports, so that bookmarks and the temporal CLI's
// defaults keep working across restarts.
const (
	temporalPort   = 7233
	temporalUIPort = 8233
	storeAddr      = "127.0.0.1:27017"
	httpAddr       = "127.0.0.1:8080"
	// The binaries' own defaults (METRICS_ADDR), set explicitly so that
	// -ephemeral can move them.
	serverMetricsAddr = "127.0.0.1:9091"
	workerMetricsAddr = "127.0.0.1:9092"
)

// config is the command line and environment, read once.
type config struct {
	root      string
	dataDir   string // "" with -ephemeral: a temporary directory
	ephemeral bool
	noApp     bool
	exec      string

	// External services; "" means start the embedded one.
	temporalAddress string
	mongoURI        string

	temporalUIURL string // "" means the embedded server's UI
	database      string
	namespace     string
	httpAddr      string
	corsOrigins   string
	// Where the server and the worker serve /metrics.
	serverMetrics, workerMetrics string
	// otlpEndpoint is OTEL_EXPORTER_OTLP_ENDPOINT, which both binaries
	// inherit; "" means no traces.
	otlpEndpoint string

	customerPassword string
	adminPassword    string
}

func loadConfig(args []string, getenv func(string) string) (config, error) {
	var c config
	fs := flag.NewFlagSet("orderly-dev", flag.ContinueOnError)
	fs.BoolVar(&c.ephemeral, "ephemeral", false, "free ports and throwaway data (for tests)")
	fs.BoolVar(&c.noApp, "no-app", false, "start only Temporal and the store (run the server or worker yourself)")
	fs.StringVar(&c.exec, "exec", "", "run this shell `command` once the stack is ready, then stop and exit with its status")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	root, err := devstack.Root()
	if err != nil {
		return config{}, err
	}
	c.root = root
	if !c.ephemeral {
		c.dataDir = cmp.Or(getenv("ORDERLY_DATA_DIR"), filepath.Join(root, "data"))
		if c.dataDir, err = filepath.Abs(c.dataDir); err != nil {
			return config{}, fmt.Errorf("ORDERLY_DATA_DIR: %w", err)
		}
	}
	c.temporalAddress = getenv("TEMPORAL_ADDRESS")
	c.mongoURI = getenv("MONGODB_URI")
	c.temporalUIURL = getenv("TEMPORAL_UI_URL")
	if c.temporalAddress != "" {
		c.temporalUIURL = cmp.Or(c.temporalUIURL, "http://localhost:8233")
	}
	c.database = cmp.Or(getenv("MONGODB_DATABASE"), "orderly")
	c.namespace = cmp.Or(getenv("TEMPORAL_NAMESPACE"), "default")
	c.httpAddr = cmp.Or(getenv("HTTP_ADDR"), httpAddr)
	if c.ephemeral && getenv("HTTP_ADDR") == "" {
		port, err := devstack.FreePort()
		if err != nil {
			return config{}, err
		}
		c.httpAddr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	}
	c.serverMetrics, c.workerMetrics = serverMetricsAddr, workerMetricsAddr
	if c.ephemeral {
		for _, addr := range []*string{&c.serverMetrics, &c.workerMetrics} {
			port, err := devstack.FreePort()
			if err != nil {
				return config{}, err
			}
			*addr = loopback(port)
		}
	}
	c.otlpEndpoint = cmp.Or(getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), getenv("OTEL_EXPORTER_OTLP_ENDPOINT"))
	if _, _, err := net.SplitHostPort(c.httpAddr); err != nil {
		return config{}, fmt.Errorf("HTTP_ADDR: %w", err)
	}
	c.corsOrigins = cmp.Or(getenv("CORS_ALLOWED_ORIGINS"), defaultOrigins(c.httpAddr))
	c.customerPassword = cmp.Or(getenv("DEMO_CUSTOMER_PASSWORD"), "orderly-demo")
	c.adminPassword = cmp.Or(getenv("DEMO_ADMIN_PASSWORD"), "orderly-admin")
	if c.noApp && c.exec != "" {
		return config{}, errors.New("-exec needs the app: drop -no-app")
	}
	return c, nil
}

// defaultOrigins allows the app under both loopback names, plus Vite's dev
// server, whatever port the server is on.
func defaultOrigins(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return strings.Join([]string{
		"http://localhost:" + port, "http://127.0.0.1:" + port,
		"http://localhost:5173", "http://127.0.0.1:5173",
	}, ",")
}

// loopback returns the loopback address of port.
func loopback(port int) string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// appURL is where a browser opens the app.
func (c config) appURL() string {
	_, port, _ := net.SplitHostPort(c.httpAddr)
	return "http://localhost:" + port
}

// serverURL is the server's own loopback address, for health checks and
// tests; a wildcard listen address is reached through 127.0.0.1.
func (c config) serverURL() string {
	host, port, _ := net.SplitHostPort(c.httpAddr)
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
