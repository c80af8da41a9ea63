package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"golang.org/x/sync/errgroup"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/catalog"
	"github.com/orderly-shop/orderly/checkout"
	"github.com/orderly-shop/orderly/codec"
	"github.com/orderly-shop/orderly/frontend"
	"github.com/orderly-shop/orderly/graph"
	"github.com/orderly-shop/orderly/metrics"
	"github.com/orderly-shop/orderly/mongodb"
	"github.com/orderly-shop/orderly/workflows"
)

// Run starts the server and blocks until ctx ends, then shuts down
// gracefully: it stops accepting, lets requests in flight finish (bounded by
// ShutdownTimeout) and closes websockets, the feed, Temporal and MongoDB.
func Run(ctx context.Context, cfg Config, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s (set HTTP_ADDR to another address): %w", cfg.HTTPAddr, err)
	}
	return Serve(ctx, cfg, logger, ln)
}

// Serve is Run on an existing listener, so tests can use port 0.
func Serve(ctx context.Context, cfg Config, logger *slog.Logger, ln net.Listener) error {
	defer ln.Close()
	connectCtx, cancel := context.WithTimeout(ctx, cfg.ConnectWait)
	defer cancel()

	tel, err := newTelemetry(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer tel.Close(ctx)
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		if metricsLn, err = metrics.Listen(cfg.MetricsAddr, "METRICS_ADDR"); err != nil {
			return err
		}
		defer metricsLn.Close()
	}

	db, err := mongodb.Open(connectCtx, cfg.MongoURI, cfg.MongoDatabase, logger, tel.MongoOptions()...)
	if err != nil {
		return err
	}
	defer db.Close(context.WithoutCancel(ctx))
	if err := db.EnsureIndexes(connectCtx); err != nil {
		return err
	}
	if n, err := db.Seed(connectCtx); err != nil {
		return err
	} else if n > 0 {
		logger.Info("seeded the demo catalog", "products", n)
	}

	dial := workflows.DialOptions{
		HostPort: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace, Logger: logger, Wait: cfg.ConnectWait,
	}
	if err := tel.TemporalOptions(&dial); err != nil {
		return err
	}
	var payloads *codec.Codec
	if len(cfg.PayloadKeys) > 0 {
		if payloads, err = codec.New(cfg.PayloadKeys); err != nil {
			return err
		}
		dial.DataConverter = payloads.DataConverter()
		logger.Info("workflow payloads encrypted", "keys", cfg.PayloadKeys.IDs())
	}
	tc, err := workflows.Dial(connectCtx, dial)
	if err != nil {
		return err
	}
	defer tc.Close()

	accounts := mongodb.NewAccountService(db, mongodb.AccountOptions{SessionTTL: cfg.SessionTTL})
	if cfg.DemoAccounts {
		if err := ensureDemoAccounts(connectCtx, accounts, cfg, logger); err != nil {
			return err
		}
	}
	feed := mongodb.NewFeed(db, mongodb.FeedOptions{
		PollInterval: cfg.FeedPollInterval, ResumeName: cfg.FeedName, Observe: tel.feed.Delivered,
	})
	products := catalog.New(mongodb.NewProductService(db), feed, logger)
	carts := mongodb.NewCartService(db, products)
	orders := mongodb.NewOrderService(db)
	processing := workflows.NewClient(tc, workflows.ClientOptions{
		Logger: logger,
		Shipping: workflows.ShippingOptions{
			TrackingUpdates:  cmp.Or(cfg.ShippingTrackingUpdates, -1), // 0 means none here
			TrackingInterval: cfg.ShippingTrackingInterval,
		},
		Returns: workflows.ReturnOptions{
			Window:          cfg.ReturnWindow,
			CarrierInterval: cmp.Or(cfg.ReturnCarrierInterval, -1), // 0 means none here
		},
	})
	checkouts := &checkout.Service{Carts: carts, Orders: orders, Processing: processing, Logger: logger}
	resolver := &graph.Resolver{
		ProductService:      products,
		CartService:         carts,
		OrderService:        orders,
		AccountService:      accounts,
		RewardsService:      mongodb.NewRewardsService(db),
		NotificationService: mongodb.NewNotificationService(db),
		SettingsService:     mongodb.NewSettingsService(db, mongodb.SettingsOptions{}),
		ChangeFeed:          feed,
		OrderProcessing:     processing,
		Checkout:            checkouts,
		OrderStats:          orders,
		LocationService:     mongodb.NewInventoryService(db),
		TemporalUIURL:       cfg.TemporalUIURL,
		TemporalNamespace:   cfg.TemporalNamespace,
		Logger:              logger,
	}

	metrics.RegisterLiveSubscriptions(tel.Registry, resolver.LiveSubscriptions)

	assets, err := frontend.Assets()
	if err != nil {
		return err
	}
	policy := newCORS(cfg.AllowedOrigins)
	opts := graph.DefaultHandlerOptions()
	opts.OriginAllowed = policy.OriginAllowed
	opts.Introspection = cfg.Introspection
	opts.Extensions = []graphql.HandlerExtension{tel.Tracing.GraphQLExtension(), tel.graphql}
	r := routes{
		GraphQL: graph.NewHandler(resolver, opts),
		App:     spaHandler(assets),
		Ready: []Checker{
			{Name: "mongodb", Check: db.Ping},
			{Name: "temporal", Check: func(ctx context.Context) error {
				_, err := tc.CheckHealth(ctx, nil)
				return err
			}},
		},
	}
	if cfg.Playground {
		r.Playground = graph.PlaygroundHandler("/graphql")
	}
	if payloads != nil {
		r.Codec = payloads.Server(codec.ServerOptions{
			Sessions: accounts, AllowedOrigins: uiOrigins(cfg.TemporalUIURL), Logger: logger,
		})
	}

	// Websockets live long: their contexts derive from serveCtx so that
	// shutdown ends every subscription instead of waiting for clients.
	serveCtx, stopServing := context.WithCancel(context.WithoutCancel(ctx))
	defer stopServing()
	srv := &http.Server{
		Handler:           tel.handler(newHandler(r, policy, logger)),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return serveCtx },
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	g, gctx := errgroup.WithContext(serveCtx)
	g.Go(func() error {
		if err := feed.Run(gctx); err != nil && !errors.Is(err, context.Canceled) {
			return fmt.Errorf("change feed: %w", err)
		}
		return nil
	})
	g.Go(func() error { return products.Run(gctx) })
	g.Go(func() error {
		sweepSessions(gctx, accounts, time.Hour, logger)
		return nil
	})
	if metricsLn != nil {
		g.Go(func() error { return metrics.Serve(gctx, metricsLn, tel.Registry, logger) })
	}
	g.Go(func() error {
		resumeCheckouts(gctx, checkouts, time.Minute, logger)
		return nil
	})
	g.Go(func() error {
		logger.Info("server listening", "addr", ln.Addr().String(), "playground", cfg.Playground,
			"introspection", cfg.Introspection, "production", cfg.Production)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		select {
		case <-ctx.Done():
		case <-gctx.Done():
		}
		logger.Info("server shutting down")
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
		defer cancel()
		srv.RegisterOnShutdown(stopServing)
		err := srv.Shutdown(shutdownCtx)
		stopServing()
		return err
	})
	return g.Wait()
}

// ensureDemoAccounts creates the demo shopper and operator once and says how
// to sign in. Passwords are never logged; they come from the environment.
func ensureDemoAccounts(ctx context.Context, accounts orderly.AccountService, cfg Config, logger *slog.Logger) error {
	demo := []struct {
		email, password, name string
		role                  orderly.Role
	}{
		{demoCustomerEmail, cfg.DemoCustomerPassword, "Demo Shopper", orderly.RoleCustomer},
		{demoAdminEmail, cfg.DemoAdminPassword, "Demo Operator", orderly.RoleAdmin},
	}
	for _, d := range demo {
		_, err := accounts.Register(ctx, d.email, d.password, d.name, d.role)
		if err != nil && orderly.ErrorCode(err) != orderly.ECONFLICT {
			return fmt.Errorf("demo account %s: %w", d.email, err)
		}
		logger.Info("demo account", "email", d.email, "role", d.role, "password_from", passwordSource(d.role))
	}
	return nil
}

func passwordSource(role orderly.Role) string {
	if role == orderly.RoleAdmin {
		return "DEMO_ADMIN_PASSWORD (development default orderly-admin)"
	}
	return "DEMO_CUSTOMER_PASSWORD (development default orderly-demo)"
}

// sweepSessions deletes expired sessions every interval until ctx ends. They
// are refused when used anyway; this keeps the collection from growing. Every
// replica sweeps; the deletes are idempotent.
func sweepSessions(ctx context.Context, accounts *mongodb.AccountService, every time.Duration, logger *slog.Logger) {
	repeat(ctx, every, func() {
		if n, err := accounts.DeleteExpiredSessions(ctx); err != nil {
			logger.WarnContext(ctx, "sweeping expired sessions failed", "err", err)
		} else if n > 0 {
			logger.InfoContext(ctx, "swept expired sessions", "sessions", n)
		}
	})
}

// checkoutsOlderThan is how long a checkout may stay pending before the
// sweeper finishes it: long past any request's own attempt.
const checkoutsOlderThan = time.Minute

// resumeCheckouts finishes, every interval until ctx ends, the checkouts
// whose request died between claiming the cart and starting the order, so
// that a line taken from a cart always ends in a running order. Every
// replica sweeps; each step is idempotent.
func resumeCheckouts(ctx context.Context, checkouts *checkout.Service, every time.Duration, logger *slog.Logger) {
	repeat(ctx, every, func() {
		if _, err := checkouts.ResumeCheckouts(ctx, checkoutsOlderThan, 100); err != nil && ctx.Err() == nil {
			logger.WarnContext(ctx, "resuming interrupted checkouts failed", "err", err)
		}
	})
}

// repeat runs fn every interval until ctx ends.
func repeat(ctx context.Context, every time.Duration, fn func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn()
		}
	}
}
