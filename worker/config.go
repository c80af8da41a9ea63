package main

import (
	"time"

	"github.com/orderly-shop/orderly/codec"
	"github.com/orderly-shop/orderly/internal/envconfig"
	"github.com/orderly-shop/orderly/paysim"
	"github.com/orderly-shop/orderly/tracing"
)

// Config is everything the worker reads from its environment.
type Config struct {
	// Production requires payload keys (ORDERLY_ENV=production, as for the
	// server).
	Production bool

	MongoURI      string
	MongoDatabase string

	TemporalAddress   string
	TemporalNamespace string
	// ConnectWait bounds how long start-up waits for Temporal and MongoDB.
	ConnectWait time.Duration
	// StopTimeout is how long activities in flight get to finish on shutdown;
	// Temporal retries whatever does not.
	StopTimeout time.Duration
	// MaxConcurrentActivities caps activity executions per task queue.
	MaxConcurrentActivities int
	// AuthorizationTTL is how long the simulated payment provider holds an
	// authorized amount before the hold lapses (orders renew it before).
	AuthorizationTTL time.Duration

	// MetricsAddr is where /metrics is served; "" turns it off.
	MetricsAddr string
	// Tracing says whether and how traces are exported (OTEL_* variables).
	Tracing tracing.Config
	// PayloadKeys encrypt workflow payloads, newest first; none means
	// payloads travel in the clear (development only).
	PayloadKeys codec.Keys

	Logging envconfig.Logging
}

// Default metrics address: loopback, a port apart from the server's.
const defaultMetricsAddr = "127.0.0.1:9092"

// LoadConfig reads and validates the configuration.
func LoadConfig(lookup func(string) (string, bool)) (Config, error) {
	r := envconfig.New(lookup)
	dev := r.OneOf("ORDERLY_ENV", "development", "development", "production") == "development"
	c := Config{
		Production:              !dev,
		MongoURI:                r.URL("MONGODB_URI", "mongodb://127.0.0.1:27017/", "mongodb", "mongodb+srv"),
		MongoDatabase:           r.String("MONGODB_DATABASE", "orderly"),
		TemporalAddress:         r.String("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		TemporalNamespace:       r.String("TEMPORAL_NAMESPACE", "default"),
		ConnectWait:             r.Duration("CONNECT_WAIT", 60*time.Second, time.Second, 10*time.Minute),
		StopTimeout:             r.Duration("WORKER_STOP_TIMEOUT", 10*time.Second, 0, 5*time.Minute),
		MaxConcurrentActivities: r.Int("WORKER_MAX_CONCURRENT_ACTIVITIES", 50, 1, 10000),
		AuthorizationTTL:        r.Duration("PAYMENT_AUTHORIZATION_TTL", paysim.DefaultAuthorizationTTL, time.Second, 31*24*time.Hour),
		MetricsAddr:             envconfig.ReadMetricsAddr(r, defaultMetricsAddr),
		Tracing:                 envconfig.ReadTracing(r, "orderly-worker"),
		PayloadKeys:             codec.ReadKeys(r, !dev),
		Logging:                 envconfig.ReadLogging(r),
	}
	return c, r.Err()
}
