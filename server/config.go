package main

import (
	"strings"
	"time"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/codec"
	"github.com/orderly-shop/orderly/internal/envconfig"
	"github.com/orderly-shop/orderly/tracing"
)

// Config is everything the server reads from its environment.
type Config struct {
	// Production turns off introspection, the playground and demo accounts
	// unless they are explicitly enabled.
	Production bool
	HTTPAddr   string

	MongoURI      string
	MongoDatabase string

	TemporalAddress   string
	TemporalNamespace string
	// TemporalUIURL is where operators' "open in Temporal" links point.
	TemporalUIURL string

	// AllowedOrigins is the CORS allowlist, also applied to websocket origins.
	AllowedOrigins []string
	Introspection  bool
	Playground     bool

	// ConnectWait bounds how long start-up waits for Temporal and MongoDB.
	ConnectWait time.Duration
	SessionTTL  time.Duration
	// FeedPollInterval is how often the change feed reads the change log
	// when change streams are unavailable (an idle read is one point read).
	FeedPollInterval time.Duration
	// FeedName names this replica's saved change stream position, so that a
	// restart resumes where it stopped; empty saves none.
	FeedName        string
	ShutdownTimeout time.Duration

	// ShippingTrackingInterval paces the simulated carrier: the durable wait
	// before each tracking update and before delivery.
	ShippingTrackingInterval time.Duration
	ShippingTrackingUpdates  int
	// ReturnWindow is how long after delivery a customer may ask for a
	// return; ReturnCarrierInterval paces the simulated carrier of return
	// parcels (0: none, operators mark parcels received).
	ReturnWindow          time.Duration
	ReturnCarrierInterval time.Duration

	DemoAccounts         bool
	DemoCustomerPassword string
	DemoAdminPassword    string

	// MetricsAddr is where /metrics is served, apart from the API so that it
	// can stay private; "" turns it off.
	MetricsAddr string
	// Tracing says whether and how traces are exported (OTEL_* variables).
	Tracing tracing.Config
	// PayloadKeys encrypt workflow payloads, newest first; none means
	// payloads travel in the clear (development only) and no /codec
	// endpoint is served.
	PayloadKeys codec.Keys

	Logging envconfig.Logging
}

// Default metrics address: loopback, a port apart from the worker's so that
// both run on one machine.
const defaultMetricsAddr = "127.0.0.1:9091"

// Demo account e-mails; their passwords come from the environment.
const (
	demoCustomerEmail = "demo@orderly.dev"
	demoAdminEmail    = "admin@orderly.dev"
)

// LoadConfig reads and validates the configuration.
func LoadConfig(lookup func(string) (string, bool)) (Config, error) {
	r := envconfig.New(lookup)
	env := r.OneOf("ORDERLY_ENV", "development", "development", "production")
	dev := env == "development"
	c := Config{
		Production:        !dev,
		HTTPAddr:          r.String("HTTP_ADDR", "127.0.0.1:8080"),
		MongoURI:          r.URL("MONGODB_URI", "mongodb://127.0.0.1:27017/", "mongodb", "mongodb+srv"),
		MongoDatabase:     r.String("MONGODB_DATABASE", "orderly"),
		TemporalAddress:   r.String("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		TemporalNamespace: r.String("TEMPORAL_NAMESPACE", "default"),
		TemporalUIURL:     r.URL("TEMPORAL_UI_URL", "http://localhost:8233", "http", "https"),
		AllowedOrigins: r.List("CORS_ALLOWED_ORIGINS", []string{
			"http://localhost:8080", "http://127.0.0.1:8080", "http://localhost:5173", "http://127.0.0.1:5173",
		}),
		Introspection:            r.Bool("GRAPHQL_INTROSPECTION", dev),
		Playground:               r.Bool("GRAPHQL_PLAYGROUND", dev),
		ConnectWait:              r.Duration("CONNECT_WAIT", 60*time.Second, time.Second, 10*time.Minute),
		SessionTTL:               r.Duration("SESSION_TTL", 7*24*time.Hour, time.Minute, 90*24*time.Hour),
		FeedPollInterval:         r.Duration("FEED_POLL_INTERVAL", 50*time.Millisecond, 5*time.Millisecond, time.Minute),
		FeedName:                 r.String("FEED_NAME", ""),
		ShutdownTimeout:          r.Duration("SHUTDOWN_TIMEOUT", 15*time.Second, time.Second, 5*time.Minute),
		ShippingTrackingInterval: r.Duration("SHIPPING_TRACKING_INTERVAL", 2*time.Second, 10*time.Millisecond, 24*time.Hour),
		ShippingTrackingUpdates:  r.Int("SHIPPING_TRACKING_UPDATES", 3, 0, 20),
		ReturnWindow:             r.Duration("RETURN_WINDOW", orderly.DefaultReturnWindow, 10*time.Millisecond, 365*24*time.Hour),
		ReturnCarrierInterval:    r.Duration("RETURN_CARRIER_INTERVAL", 10*time.Second, 0, 30*24*time.Hour),
		DemoAccounts:             r.Bool("DEMO_ACCOUNTS", dev),
		MetricsAddr:              envconfig.ReadMetricsAddr(r, defaultMetricsAddr),
		Tracing:                  envconfig.ReadTracing(r, "orderly-server"),
		PayloadKeys:              codec.ReadKeys(r, !dev),
		Logging:                  envconfig.ReadLogging(r),
	}
	if c.DemoAccounts {
		// Development defaults only: production must say its passwords.
		def := func(v string) string {
			if dev {
				return v
			}
			return ""
		}
		c.DemoCustomerPassword = r.String("DEMO_CUSTOMER_PASSWORD", def("orderly-demo"))
		c.DemoAdminPassword = r.String("DEMO_ADMIN_PASSWORD", def("orderly-admin"))
		if c.DemoCustomerPassword == "" {
			r.Required("DEMO_CUSTOMER_PASSWORD", "demo accounts are on outside development")
		}
		if c.DemoAdminPassword == "" {
			r.Required("DEMO_ADMIN_PASSWORD", "demo accounts are on outside development")
		}
	}
	for i, o := range c.AllowedOrigins {
		r.Check("CORS_ALLOWED_ORIGINS", checkOrigin(o))
		// Browsers send Origin without the slash; with it the entry would
		// never match.
		c.AllowedOrigins[i] = strings.TrimSuffix(o, "/")
	}
	return c, r.Err()
}
