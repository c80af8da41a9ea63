package main

import (
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orderly-shop/orderly/codec"
	"github.com/orderly-shop/orderly/internal/envconfig"
	"github.com/orderly-shop/orderly/tracing"
)

var defaultOrigins = []string{
	"http://localhost:8080", "http://127.0.0.1:8080", "http://localhost:5173", "http://127.0.0.1:5173",
}

// devDefaults is the configuration with nothing set.
func devDefaults() Config {
	return Config{
		Production:               false,
		HTTPAddr:                 "127.0.0.1:8080",
		MongoURI:                 "mongodb://127.0.0.1:27017/",
		MongoDatabase:            "orderly",
		TemporalAddress:          "127.0.0.1:7233",
		TemporalNamespace:        "default",
		TemporalUIURL:            "http://localhost:8233",
		AllowedOrigins:           defaultOrigins,
		Introspection:            true,
		Playground:               true,
		ConnectWait:              60 * time.Second,
		SessionTTL:               7 * 24 * time.Hour,
		FeedPollInterval:         50 * time.Millisecond,
		ShutdownTimeout:          15 * time.Second,
		ShippingTrackingInterval: 2 * time.Second,
		ShippingTrackingUpdates:  3,
		ReturnWindow:             30 * 24 * time.Hour,
		ReturnCarrierInterval:    10 * time.Second,
		DemoAccounts:             true,
		DemoCustomerPassword:     "orderly-demo",
		DemoAdminPassword:        "orderly-admin",
		MetricsAddr:              "127.0.0.1:9091",
		Tracing:                  tracing.Config{Protocol: tracing.OTLPHTTP, ServiceName: "orderly-server"},
		Logging:                  envconfig.Logging{Level: slog.LevelInfo, Format: "text"},
	}
}

// testKeys is a valid PAYLOAD_KEYS value (32 zero bytes as key k1), which
// production requires.
const testKeys = "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

func mustKeys(s string) codec.Keys {
	k, err := codec.ParseKeys(s)
	if err != nil {
		panic(err)
	}
	return k
}

// TestLoadConfigValid: the defaults in each environment and explicit values
// that are all valid.
func TestLoadConfigValid(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want func() Config
	}{
		{
			name: "nothing set is development",
			env:  nil,
			want: devDefaults,
		},
		{
			name: "explicit development, blank values use the defaults",
			env:  map[string]string{"ORDERLY_ENV": "development", "HTTP_ADDR": "  ", "SESSION_TTL": "", "CORS_ALLOWED_ORIGINS": " "},
			want: devDefaults,
		},
		{
			name: "production turns off introspection, playground and demo accounts",
			env:  map[string]string{"ORDERLY_ENV": "production", "PAYLOAD_KEYS": testKeys},
			want: func() Config {
				c := devDefaults()
				c.Production, c.PayloadKeys = true, mustKeys(testKeys)
				c.Introspection, c.Playground, c.DemoAccounts = false, false, false
				c.DemoCustomerPassword, c.DemoAdminPassword = "", ""
				return c
			},
		},
		{
			name: "production can turn each one back on",
			env: map[string]string{
				"ORDERLY_ENV": "production", "GRAPHQL_INTROSPECTION": "true", "GRAPHQL_PLAYGROUND": "1",
				"DEMO_ACCOUNTS": "true", "DEMO_CUSTOMER_PASSWORD": "c-secret", "DEMO_ADMIN_PASSWORD": "a-secret",
				"PAYLOAD_KEYS": testKeys,
			},
			want: func() Config {
				c := devDefaults()
				c.Production, c.PayloadKeys = true, mustKeys(testKeys)
				c.DemoCustomerPassword, c.DemoAdminPassword = "c-secret", "a-secret"
				return c
			},
		},
		{
			name: "development can turn each one off, and then reads no passwords",
			env: map[string]string{
				"GRAPHQL_INTROSPECTION": "false", "GRAPHQL_PLAYGROUND": "0", "DEMO_ACCOUNTS": "false",
				"DEMO_CUSTOMER_PASSWORD": "ignored", "DEMO_ADMIN_PASSWORD": "ignored",
			},
			want: func() Config {
				c := devDefaults()
				c.Introspection, c.Playground, c.DemoAccounts = false, false, false
				c.DemoCustomerPassword, c.DemoAdminPassword = "", ""
				return c
			},
		},
		{
			name: "development demo passwords can be overridden one at a time",
			env:  map[string]string{"DEMO_ADMIN_PASSWORD": " hunter2 "},
			want: func() Config {
				c := devDefaults()
				c.DemoAdminPassword = "hunter2"
				return c
			},
		},
		{
			name: "every value set",
			env: map[string]string{
				"ORDERLY_ENV":                "production",
				"HTTP_ADDR":                  ":9090",
				"MONGODB_URI":                "mongodb+srv://cluster0.example.net/?retryWrites=true",
				"MONGODB_DATABASE":           "shop",
				"TEMPORAL_ADDRESS":           "temporal:7233",
				"TEMPORAL_NAMESPACE":         "orders",
				"TEMPORAL_UI_URL":            "https://temporal.example.com/ui",
				"CORS_ALLOWED_ORIGINS":       "https://shop.example.com, https://admin.example.com:8443,,",
				"CONNECT_WAIT":               "1s",
				"SESSION_TTL":                "2160h",
				"FEED_POLL_INTERVAL":         "10ms",
				"SHUTDOWN_TIMEOUT":           "5m",
				"SHIPPING_TRACKING_INTERVAL": "24h",
				"SHIPPING_TRACKING_UPDATES":  "0",
				"RETURN_WINDOW":              "72h",
				"RETURN_CARRIER_INTERVAL":    "0s",
				"LOG_LEVEL":                  "debug",
				"LOG_FORMAT":                 "json",
				"PAYLOAD_KEYS":               "k2:" + testKeys[3:] + ", " + testKeys,
				"METRICS_ADDR":               "  ",
				"OTEL_TRACES_EXPORTER":       "otlp",
				"OTEL_SERVICE_NAME":          "shop-api",
			},
			want: func() Config {
				return Config{
					Production:               true,
					PayloadKeys:              mustKeys("k2:" + testKeys[3:] + "," + testKeys),
					MetricsAddr:              "",
					Tracing:                  tracing.Config{Exporter: "otlp", Protocol: tracing.OTLPHTTP, ServiceName: "orderly-server"},
					HTTPAddr:                 ":9090",
					MongoURI:                 "mongodb+srv://cluster0.example.net/?retryWrites=true",
					MongoDatabase:            "shop",
					TemporalAddress:          "temporal:7233",
					TemporalNamespace:        "orders",
					TemporalUIURL:            "https://temporal.example.com/ui",
					AllowedOrigins:           []string{"https://shop.example.com", "https://admin.example.com:8443"},
					ConnectWait:              time.Second,
					SessionTTL:               90 * 24 * time.Hour,
					FeedPollInterval:         10 * time.Millisecond,
					ShutdownTimeout:          5 * time.Minute,
					ShippingTrackingInterval: 24 * time.Hour,
					ShippingTrackingUpdates:  0,
					ReturnWindow:             72 * time.Hour,
					ReturnCarrierInterval:    0,
					Logging:                  envconfig.Logging{Level: slog.LevelDebug, Format: "json"},
				}
			},
		},
		{
			name: "lower bounds are inclusive",
			env: map[string]string{
				"CONNECT_WAIT": "1s", "SESSION_TTL": "1m", "FEED_POLL_INTERVAL": "10ms", "SHUTDOWN_TIMEOUT": "1s",
				"SHIPPING_TRACKING_INTERVAL": "10ms", "SHIPPING_TRACKING_UPDATES": "20",
			},
			want: func() Config {
				c := devDefaults()
				c.ConnectWait, c.SessionTTL, c.FeedPollInterval = time.Second, time.Minute, 10*time.Millisecond
				c.ShutdownTimeout, c.ShippingTrackingInterval, c.ShippingTrackingUpdates = time.Second, 10*time.Millisecond, 20
				return c
			},
		},
		{
			name: "upper bounds are inclusive",
			env:  map[string]string{"CONNECT_WAIT": "10m", "FEED_POLL_INTERVAL": "1m"},
			want: func() Config {
				c := devDefaults()
				c.ConnectWait, c.FeedPollInterval = 10*time.Minute, time.Minute
				return c
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadConfig(envconfig.FromMap(tt.env))
			if err != nil {
				t.Fatalf("LoadConfig: %v", err)
			}
			if want := tt.want(); !reflect.DeepEqual(got, want) {
				t.Errorf("LoadConfig =\n  %+v\nwant\n  %+v", got, want)
			}
		})
	}
}

// TestLoadConfigPayloadKeysInProduction: production refuses to start without
// payload keys, and says how to make one without quoting any.
func TestLoadConfigPayloadKeysInProduction(t *testing.T) {
	_, err := LoadConfig(envconfig.FromMap(map[string]string{"ORDERLY_ENV": "production"}))
	if got := envconfig.Variables(err); !slices.Equal(got, []string{"PAYLOAD_KEYS"}) {
		t.Fatalf("error names %v, want [PAYLOAD_KEYS]; err = %v", got, err)
	}
	if !strings.Contains(err.Error(), "openssl rand -base64 32") {
		t.Errorf("error does not say how to make a key: %v", err)
	}
	_, err = LoadConfig(envconfig.FromMap(map[string]string{"ORDERLY_ENV": "production", "PAYLOAD_KEYS": "k1:" + strings.Repeat("A", 40)}))
	if err == nil || strings.Contains(err.Error(), strings.Repeat("A", 40)) {
		t.Errorf("a bad key is accepted or quoted: %v", err)
	}
}

// TestLoadConfigDemoPasswordsInProduction: demo accounts outside development
// need both passwords from the environment, and each missing one is named.
func TestLoadConfigDemoPasswordsInProduction(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		wantVars []string
	}{
		{"both missing", map[string]string{}, []string{"DEMO_CUSTOMER_PASSWORD", "DEMO_ADMIN_PASSWORD"}},
		{"customer missing", map[string]string{"DEMO_ADMIN_PASSWORD": "a"}, []string{"DEMO_CUSTOMER_PASSWORD"}},
		{"admin missing", map[string]string{"DEMO_CUSTOMER_PASSWORD": "c"}, []string{"DEMO_ADMIN_PASSWORD"}},
		{"admin blank", map[string]string{"DEMO_CUSTOMER_PASSWORD": "c", "DEMO_ADMIN_PASSWORD": "   "}, []string{"DEMO_ADMIN_PASSWORD"}},
		{"both set", map[string]string{"DEMO_CUSTOMER_PASSWORD": "c", "DEMO_ADMIN_PASSWORD": "a"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"ORDERLY_ENV": "production", "DEMO_ACCOUNTS": "true", "PAYLOAD_KEYS": testKeys}
			for k, v := range tt.env {
				env[k] = v
			}
			c, err := LoadConfig(envconfig.FromMap(env))
			if got := envconfig.Variables(err); !slices.Equal(got, tt.wantVars) {
				t.Fatalf("error names %v, want %v; err = %v", got, tt.wantVars, err)
			}
			if err != nil {
				if !strings.Contains(err.Error(), "must be set (demo accounts are on outside development)") {
					t.Errorf("error does not say why: %v", err)
				}
				if strings.Contains(err.Error(), "orderly-demo") || strings.Contains(err.Error(), "orderly-admin") {
					t.Errorf("error mentions a development default password: %v", err)
				}
				return
			}
			if c.DemoCustomerPassword != "c" || c.DemoAdminPassword != "a" || !c.DemoAccounts {
				t.Errorf("demo accounts = %v %q %q", c.DemoAccounts, c.DemoCustomerPassword, c.DemoAdminPassword)
			}
		})
	}
}

// TestLoadConfigRejects: each invalid value is reported against its variable
// and only that variable, quoting what was set.
func TestLoadConfigRejects(t *testing.T) {
	tests := []struct {
		key, value string
		wantMsg    string // part of the message
	}{
		{"ORDERLY_ENV", "staging", `is "staging"; want one of development, production`},
		{"ORDERLY_ENV", "Production", `is "Production"`},
		{"PAYLOAD_KEYS", "k1:not base64!", `key "k1" is not standard base64`},
		{"PAYLOAD_KEYS", ":" + testKeys[3:], "want id:base64key"},
		{"METRICS_ADDR", "localhost", `is "localhost"; want host:port`},
		{"OTEL_TRACES_SAMPLER_ARG", "2", `want a ratio from 0 to 1`},
		{"MONGODB_URI", "postgres://db:5432/orderly", `has scheme "postgres"; want one of mongodb, mongodb+srv`},
		{"MONGODB_URI", "http://127.0.0.1:27017", `has scheme "http"`},
		{"MONGODB_URI", "127.0.0.1:27017", "want an absolute URL"},
		{"MONGODB_URI", "mongodb://", "want an absolute URL"},
		{"TEMPORAL_UI_URL", "ftp://temporal.example.com", `has scheme "ftp"; want one of http, https`},
		{"TEMPORAL_UI_URL", "localhost:8233", "want an absolute URL"},
		{"TEMPORAL_UI_URL", "/temporal", "want an absolute URL"},
		{"GRAPHQL_INTROSPECTION", "yes", `is "yes"; want true or false`},
		{"GRAPHQL_PLAYGROUND", "on", `is "on"`},
		{"DEMO_ACCOUNTS", "enabled", `is "enabled"`},
		{"SESSION_TTL", "59s", `is "59s"; want a duration such as 30s from 1m0s to 2160h0m0s`},
		{"SESSION_TTL", "2160h0m1s", `is "2160h0m1s"`},
		{"SESSION_TTL", "7d", `is "7d"`},
		{"FEED_POLL_INTERVAL", "4ms", "from 5ms to 1m0s"},
		{"FEED_POLL_INTERVAL", "61s", `is "61s"`},
		{"FEED_POLL_INTERVAL", "250", `is "250"`},
		{"SHUTDOWN_TIMEOUT", "999ms", "from 1s to 5m0s"},
		{"SHUTDOWN_TIMEOUT", "301s", `is "301s"`},
		{"SHUTDOWN_TIMEOUT", "-15s", `is "-15s"`},
		{"CONNECT_WAIT", "0s", "from 1s to 10m0s"},
		{"CONNECT_WAIT", "10m1s", `is "10m1s"`},
		{"CONNECT_WAIT", "forever", `is "forever"`},
		{"SHIPPING_TRACKING_INTERVAL", "5ms", "from 10ms to 24h0m0s"},
		{"SHIPPING_TRACKING_INTERVAL", "25h", `is "25h"`},
		{"SHIPPING_TRACKING_INTERVAL", "2 seconds", `is "2 seconds"`},
		{"SHIPPING_TRACKING_UPDATES", "-1", `is "-1"; want a whole number from 0 to 20`},
		{"SHIPPING_TRACKING_UPDATES", "21", `is "21"`},
		{"RETURN_WINDOW", "9ms", "from 10ms to 8760h0m0s"},
		{"RETURN_CARRIER_INTERVAL", "-1s", `is "-1s"`},
		{"SHIPPING_TRACKING_UPDATES", "three", `is "three"`},
		{"SHIPPING_TRACKING_UPDATES", "2.5", `is "2.5"`},
		{"LOG_LEVEL", "verbose", "verbose"},
		{"LOG_FORMAT", "xml", `is "xml"; want one of text, json`},
		{"CORS_ALLOWED_ORIGINS", "*", `origin "*" must look like https://shop.example.com`},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			c, err := LoadConfig(envconfig.FromMap(map[string]string{tt.key: tt.value}))
			if got := envconfig.Variables(err); !slices.Equal(got, []string{tt.key}) {
				t.Fatalf("error names %v, want [%s]; err = %v", got, tt.key, err)
			}
			if !strings.Contains(err.Error(), tt.key+": ") || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error = %v\nwant it to contain %q", err, tt.wantMsg)
			}
			if !strings.HasPrefix(err.Error(), "invalid configuration (set these environment variables):") {
				t.Errorf("error does not start with the summary: %v", err)
			}
			// The invalid value falls back to the default rather than
			// being half-applied.
			d := devDefaults()
			switch tt.key {
			case "SESSION_TTL":
				if c.SessionTTL != d.SessionTTL {
					t.Errorf("SessionTTL = %v after an invalid value", c.SessionTTL)
				}
			case "MONGODB_URI":
				if c.MongoURI != d.MongoURI {
					t.Errorf("MongoURI = %q after an invalid value", c.MongoURI)
				}
			case "SHIPPING_TRACKING_UPDATES":
				if c.ShippingTrackingUpdates != d.ShippingTrackingUpdates {
					t.Errorf("ShippingTrackingUpdates = %d after an invalid value", c.ShippingTrackingUpdates)
				}
			}
		})
	}
}

// TestLoadConfigOrigins: the allowlist takes scheme://host[:port] entries
// only; each bad entry is reported, quoted, against CORS_ALLOWED_ORIGINS.
func TestLoadConfigOrigins(t *testing.T) {
	tests := []struct {
		value   string
		want    []string // the allowlist when valid
		badOnes []string // the entries reported when invalid
	}{
		{value: "https://shop.example.com", want: []string{"https://shop.example.com"}},
		{value: "http://localhost:8080, https://shop.example.com:8443", want: []string{"http://localhost:8080", "https://shop.example.com:8443"}},
		{value: "https://[::1]:8443", want: []string{"https://[::1]:8443"}},
		{value: "HTTPS://Shop.Example.com", want: []string{"HTTPS://Shop.Example.com"}},
		// Browsers send Origin without the slash; the entry is kept without
		// it so that it matches.
		{value: "https://shop.example.com/", want: []string{"https://shop.example.com"}},

		{value: "https://shop.example.com/app", badOnes: []string{"https://shop.example.com/app"}},
		{value: "https://shop.example.com/app/", badOnes: []string{"https://shop.example.com/app/"}},
		{value: "*", badOnes: []string{"*"}},
		{value: "https://*", badOnes: []string{"https://*"}},
		{value: "https://*.example.com", badOnes: []string{"https://*.example.com"}},
		{value: "https://shop.example.*", badOnes: []string{"https://shop.example.*"}},
		{value: "ftp://shop.example.com", badOnes: []string{"ftp://shop.example.com"}},
		{value: "ws://shop.example.com", badOnes: []string{"ws://shop.example.com"}},
		{value: "shop.example.com", badOnes: []string{"shop.example.com"}},
		{value: "//shop.example.com", badOnes: []string{"//shop.example.com"}},
		{value: "https://", badOnes: []string{"https://"}},
		{value: "https://shop.example.com?x=1", badOnes: []string{"https://shop.example.com?x=1"}},
		{value: "https://shop.example.com#top", badOnes: []string{"https://shop.example.com#top"}},
		{value: "https://user:pw@shop.example.com", badOnes: []string{"https://user:pw@shop.example.com"}},
		{value: "https://shop.example.com:port", badOnes: []string{"https://shop.example.com:port"}},
		{value: "http://localhost:8080,*,https://ok.example.com,/relative", badOnes: []string{"*", "/relative"}},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			c, err := LoadConfig(envconfig.FromMap(map[string]string{"CORS_ALLOWED_ORIGINS": tt.value}))
			if tt.badOnes == nil {
				if err != nil {
					t.Fatalf("LoadConfig: %v", err)
				}
				if !slices.Equal(c.AllowedOrigins, tt.want) {
					t.Errorf("AllowedOrigins = %q, want %q", c.AllowedOrigins, tt.want)
				}
				return
			}
			wantVars := make([]string, len(tt.badOnes))
			for i := range wantVars {
				wantVars[i] = "CORS_ALLOWED_ORIGINS"
			}
			if got := envconfig.Variables(err); !slices.Equal(got, wantVars) {
				t.Fatalf("error names %v, want %v; err = %v", got, wantVars, err)
			}
			for _, o := range tt.badOnes {
				if want := `CORS_ALLOWED_ORIGINS: origin "` + o + `" must look like https://shop.example.com`; !strings.Contains(err.Error(), want) {
					t.Errorf("error does not report %q: %v", o, err)
				}
			}
			if strings.Contains(err.Error(), `"http://localhost:8080"`) {
				t.Errorf("error reports a valid entry: %v", err)
			}
		})
	}
	// An empty list allows no other origin; see TestCORSEmptyAllowlist.
	t.Run("empty list", func(t *testing.T) {
		c, err := LoadConfig(envconfig.FromMap(map[string]string{"CORS_ALLOWED_ORIGINS": " , ,"}))
		if err != nil {
			t.Fatalf("LoadConfig: %v", err)
		}
		if len(c.AllowedOrigins) != 0 {
			t.Errorf("AllowedOrigins = %q, want none", c.AllowedOrigins)
		}
	})
}

// TestLoadConfigReportsEveryError: start-up fails once, naming every
// variable to fix.
func TestLoadConfigReportsEveryError(t *testing.T) {
	env := map[string]string{
		"ORDERLY_ENV":                "prod",
		"MONGODB_URI":                "mysql://db",
		"TEMPORAL_UI_URL":            "temporal:8233",
		"CORS_ALLOWED_ORIGINS":       "https://ok.example.com,https://bad.example.com/path,*",
		"GRAPHQL_PLAYGROUND":         "maybe",
		"CONNECT_WAIT":               "0",
		"SESSION_TTL":                "1s",
		"FEED_POLL_INTERVAL":         "1h",
		"SHUTDOWN_TIMEOUT":           "soon",
		"SHIPPING_TRACKING_INTERVAL": "0s",
		"SHIPPING_TRACKING_UPDATES":  "100",
		"LOG_LEVEL":                  "loud",
		"LOG_FORMAT":                 "yaml",
		// Valid ones are not named.
		"HTTP_ADDR":        ":8081",
		"MONGODB_DATABASE": "db",
	}
	_, err := LoadConfig(envconfig.FromMap(env))
	got := envconfig.Variables(err)
	want := []string{
		"ORDERLY_ENV", "MONGODB_URI", "TEMPORAL_UI_URL", "GRAPHQL_PLAYGROUND", "CONNECT_WAIT", "SESSION_TTL",
		"FEED_POLL_INTERVAL", "SHUTDOWN_TIMEOUT", "SHIPPING_TRACKING_INTERVAL", "SHIPPING_TRACKING_UPDATES",
		"LOG_LEVEL", "LOG_FORMAT", "CORS_ALLOWED_ORIGINS", "CORS_ALLOWED_ORIGINS",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("error names\n  %v\nwant\n  %v\nerr = %v", got, want, err)
	}
	// An invalid ORDERLY_ENV falls back to development, whose demo
	// passwords have defaults, so no password is reported.
	if strings.Contains(err.Error(), "DEMO_") {
		t.Errorf("error names a demo password: %v", err)
	}
}

// TestLoadConfigInvalidEnvIsDevelopment: with ORDERLY_ENV invalid the
// error is reported and the rest is read as development, not production.
func TestLoadConfigInvalidEnvIsDevelopment(t *testing.T) {
	c, err := LoadConfig(envconfig.FromMap(map[string]string{"ORDERLY_ENV": "prod"}))
	if err == nil {
		t.Fatal("LoadConfig accepted ORDERLY_ENV=prod")
	}
	if c.Production || !c.Playground || !c.DemoAccounts {
		t.Errorf("Production=%v Playground=%v DemoAccounts=%v", c.Production, c.Playground, c.DemoAccounts)
	}
}

func TestCheckOrigin(t *testing.T) {
	tests := []struct {
		origin string
		ok     bool
	}{
		{"http://localhost:5173", true},
		{"https://shop.example.com", true},
		{"https://shop.example.com/", true},
		{"https://shop.example.com/x", false},
		{"https://*.example.com", false},
		{"*", false},
		{"null", false},
		{"", false},
		{"file:///index.html", false},
		{"https://shop.example.com?", false},
		{"https://shop.example.com#", false},
		{"https://shop.example.com?q", false},
		{"https://user@shop.example.com", false},
		{"https://shop.example.com\n", false},
		{"https://shop.example.com:", false},
		{"https://shop.example.com:8443", true},
	}
	for _, tt := range tests {
		err := checkOrigin(tt.origin)
		if (err == nil) != tt.ok {
			t.Errorf("checkOrigin(%q) = %v, want ok=%v", tt.origin, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), strings.ReplaceAll(`"`+tt.origin+`"`, "\n", `\n`)) {
			t.Errorf("checkOrigin(%q) = %v; does not quote the origin", tt.origin, err)
		}
	}
}
