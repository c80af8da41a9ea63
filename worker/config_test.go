package main

import (
	"context"
	"io"
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

func defaults() Config {
	return Config{
		MongoURI:                "mongodb://127.0.0.1:27017/",
		MongoDatabase:           "orderly",
		TemporalAddress:         "127.0.0.1:7233",
		TemporalNamespace:       "default",
		ConnectWait:             60 * time.Second,
		StopTimeout:             10 * time.Second,
		MaxConcurrentActivities: 50,
		AuthorizationTTL:        7 * 24 * time.Hour,
		MetricsAddr:             "127.0.0.1:9092",
		Tracing:                 tracing.Config{Protocol: tracing.OTLPHTTP, ServiceName: "orderly-worker"},
		Logging:                 envconfig.Logging{Level: slog.LevelInfo, Format: "text"},
	}
}

func TestLoadConfigValid(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want func() Config
	}{
		{"nothing set", nil, defaults},
		{"blank values use the defaults", map[string]string{"MONGODB_URI": "", "WORKER_STOP_TIMEOUT": "  ", "LOG_LEVEL": ""}, defaults},
		{
			name: "every value set",
			env: map[string]string{
				"MONGODB_URI":                      " mongodb+srv://cluster0.example.net/?retryWrites=true ",
				"MONGODB_DATABASE":                 "shop",
				"TEMPORAL_ADDRESS":                 "temporal.internal:7233",
				"TEMPORAL_NAMESPACE":               "orders",
				"CONNECT_WAIT":                     "90s",
				"WORKER_STOP_TIMEOUT":              "30s",
				"WORKER_MAX_CONCURRENT_ACTIVITIES": "200",
				"PAYMENT_AUTHORIZATION_TTL":        "90s",
				"LOG_LEVEL":                        "warn",
				"LOG_FORMAT":                       "json",
				"ORDERLY_ENV":                      "production",
				"PAYLOAD_KEYS":                     "k2:" + testKey + ", k1:" + testKey,
				"METRICS_ADDR":                     "0.0.0.0:9100",
				"OTEL_EXPORTER_OTLP_ENDPOINT":      "http://collector:4317",
				"OTEL_EXPORTER_OTLP_PROTOCOL":      "grpc",
				// The server's variables are not the worker's business.
				"SESSION_TTL": "nonsense", "HTTP_ADDR": "nonsense",
			},
			want: func() Config {
				return Config{
					Production:              true,
					PayloadKeys:             mustKeys("k2:" + testKey + ",k1:" + testKey),
					MetricsAddr:             "0.0.0.0:9100",
					Tracing:                 tracing.Config{Exporter: "otlp", Protocol: tracing.OTLPGRPC, ServiceName: "orderly-worker"},
					MongoURI:                "mongodb+srv://cluster0.example.net/?retryWrites=true",
					MongoDatabase:           "shop",
					TemporalAddress:         "temporal.internal:7233",
					TemporalNamespace:       "orders",
					ConnectWait:             90 * time.Second,
					StopTimeout:             30 * time.Second,
					MaxConcurrentActivities: 200,
					AuthorizationTTL:        90 * time.Second,
					Logging:                 envconfig.Logging{Level: slog.LevelWarn, Format: "json"},
				}
			},
		},
		{
			name: "lower bounds are inclusive",
			env:  map[string]string{"CONNECT_WAIT": "1s", "WORKER_STOP_TIMEOUT": "0s", "WORKER_MAX_CONCURRENT_ACTIVITIES": "1"},
			want: func() Config {
				c := defaults()
				c.ConnectWait, c.StopTimeout, c.MaxConcurrentActivities = time.Second, 0, 1
				return c
			},
		},
		{
			name: "upper bounds are inclusive",
			env:  map[string]string{"CONNECT_WAIT": "10m", "WORKER_STOP_TIMEOUT": "5m", "WORKER_MAX_CONCURRENT_ACTIVITIES": "10000"},
			want: func() Config {
				c := defaults()
				c.ConnectWait, c.StopTimeout, c.MaxConcurrentActivities = 10*time.Minute, 5*time.Minute, 10000
				return c
			},
		},
		{
			name: "log level in capitals, with an offset",
			env:  map[string]string{"LOG_LEVEL": "INFO+2"},
			want: func() Config {
				c := defaults()
				c.Logging.Level = slog.LevelInfo + 2
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

// TestLoadConfigRejects: each invalid value is reported against its variable
// only, quoting it, and the default is used in its place.
func TestLoadConfigRejects(t *testing.T) {
	tests := []struct {
		key, value string
		wantMsg    string
	}{
		{"MONGODB_URI", "postgres://db:5432", `has scheme "postgres"; want one of mongodb, mongodb+srv`},
		{"MONGODB_URI", "https://127.0.0.1:27017", `has scheme "https"`},
		{"MONGODB_URI", "127.0.0.1:27017", `is "127.0.0.1:27017"; want an absolute URL`},
		{"MONGODB_URI", "mongodb:///orderly", "want an absolute URL"},
		{"CONNECT_WAIT", "999ms", `is "999ms"; want a duration such as 30s from 1s to 10m0s`},
		{"CONNECT_WAIT", "10m0.001s", `is "10m0.001s"`},
		{"CONNECT_WAIT", "60", `is "60"`},
		{"CONNECT_WAIT", "-1s", `is "-1s"`},
		{"WORKER_STOP_TIMEOUT", "-1ns", `is "-1ns"; want a duration such as 30s from 0s to 5m0s`},
		{"WORKER_STOP_TIMEOUT", "5m1s", `is "5m1s"`},
		{"WORKER_STOP_TIMEOUT", "ten seconds", `is "ten seconds"`},
		{"WORKER_MAX_CONCURRENT_ACTIVITIES", "0", `is "0"; want a whole number from 1 to 10000`},
		{"WORKER_MAX_CONCURRENT_ACTIVITIES", "10001", `is "10001"`},
		{"WORKER_MAX_CONCURRENT_ACTIVITIES", "-5", `is "-5"`},
		{"WORKER_MAX_CONCURRENT_ACTIVITIES", "fifty", `is "fifty"`},
		{"WORKER_MAX_CONCURRENT_ACTIVITIES", "1e3", `is "1e3"`},
		{"PAYMENT_AUTHORIZATION_TTL", "999ms", `is "999ms"; want a duration such as 30s from 1s to 744h0m0s`},
		{"PAYMENT_AUTHORIZATION_TTL", "32d", `is "32d"`},
		{"LOG_LEVEL", "trace", "trace"},
		{"LOG_FORMAT", "logfmt", `is "logfmt"; want one of text, json`},
		{"ORDERLY_ENV", "staging", `is "staging"; want one of development, production`},
		{"PAYLOAD_KEYS", "k1", "want id:base64key"},
		{"PAYLOAD_KEYS", "k1:c2hvcnQ=", `key "k1" is 5 bytes; want 32`},
		{"PAYLOAD_KEYS", "k1:" + testKey + ",k1:" + testKey, `key "k1" is listed twice`},
		{"METRICS_ADDR", "9092", `is "9092"; want host:port`},
		{"OTEL_TRACES_EXPORTER", "zipkin", `want one of , otlp, none`},
		{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", `want one of grpc, http/protobuf`},
		{"OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317", `want an absolute URL`},
		{"OTEL_TRACES_SAMPLER", "sometimes", `is "sometimes"`},
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
			d := defaults()
			if tt.key == "LOG_LEVEL" {
				return // the level is whatever UnmarshalText left; the error is what counts
			}
			if !reflect.DeepEqual(c, d) {
				t.Errorf("config after an invalid %s =\n  %+v\nwant the defaults\n  %+v", tt.key, c, d)
			}
		})
	}
}

// TestLoadConfigReportsEveryError: every invalid variable is named at once.
func TestLoadConfigReportsEveryError(t *testing.T) {
	_, err := LoadConfig(envconfig.FromMap(map[string]string{
		"MONGODB_URI":                      "redis://cache",
		"CONNECT_WAIT":                     "0s",
		"WORKER_STOP_TIMEOUT":              "1h",
		"WORKER_MAX_CONCURRENT_ACTIVITIES": "0",
		"LOG_LEVEL":                        "chatty",
		"LOG_FORMAT":                       "xml",
		"MONGODB_DATABASE":                 "fine",
	}))
	got := envconfig.Variables(err)
	want := []string{"MONGODB_URI", "CONNECT_WAIT", "WORKER_STOP_TIMEOUT", "WORKER_MAX_CONCURRENT_ACTIVITIES", "LOG_LEVEL", "LOG_FORMAT"}
	if !slices.Equal(got, want) {
		t.Fatalf("error names\n  %v\nwant\n  %v\nerr = %v", got, want, err)
	}
	if !strings.HasPrefix(err.Error(), "invalid configuration (set these environment variables):\n") {
		t.Errorf("error does not start with the summary: %v", err)
	}
}

// TestRunRefusesInvalidConfig: run fails on the configuration before it
// dials anything.
func TestRunRefusesInvalidConfig(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := run(ctx, envconfig.FromMap(map[string]string{
		"MONGODB_URI": "mongodb://127.0.0.1:1/", "WORKER_MAX_CONCURRENT_ACTIVITIES": "0",
	}), io.Discard)
	if got := envconfig.Variables(err); !slices.Equal(got, []string{"WORKER_MAX_CONCURRENT_ACTIVITIES"}) {
		t.Fatalf("run = %v", err)
	}
	if ctx.Err() != nil {
		t.Error("run waited for the deadline")
	}
}

// testKey is a valid AES-256 key in base64 (32 zero bytes).
const testKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

func mustKeys(s string) codec.Keys {
	k, err := codec.ParseKeys(s)
	if err != nil {
		panic(err)
	}
	return k
}

// TestLoadConfigTelemetry: tracing is off unless an exporter is configured,
// metrics can be turned off, and production refuses to run without keys.
func TestLoadConfigTelemetry(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		tracing bool
		metrics string
	}{
		{"nothing set: no tracing, metrics on loopback", nil, false, "127.0.0.1:9092"},
		{"an OTLP endpoint turns tracing on", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, true, "127.0.0.1:9092"},
		{"a traces endpoint does too", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}, true, "127.0.0.1:9092"},
		{"the otlp exporter alone does (default endpoint)", map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, true, "127.0.0.1:9092"},
		{"exporter none wins over an endpoint", map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://x:4318"}, false, "127.0.0.1:9092"},
		{"the SDK disabled wins too", map[string]string{"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://x:4318"}, false, "127.0.0.1:9092"},
		{"empty METRICS_ADDR turns metrics off", map[string]string{"METRICS_ADDR": ""}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadConfig(envconfig.FromMap(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.Tracing.Enabled() != tt.tracing || c.MetricsAddr != tt.metrics {
				t.Errorf("tracing %v metrics %q; want %v %q", c.Tracing.Enabled(), c.MetricsAddr, tt.tracing, tt.metrics)
			}
		})
	}
	_, err := LoadConfig(envconfig.FromMap(map[string]string{"ORDERLY_ENV": "production"}))
	if got := envconfig.Variables(err); !slices.Equal(got, []string{"PAYLOAD_KEYS"}) {
		t.Errorf("production without keys: %v", err)
	}
	if err != nil && strings.Contains(err.Error(), testKey) {
		t.Error("the error quotes a key")
	}
}
