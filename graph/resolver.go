package graph

import (
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orderly-shop/orderly"
)

// Resolver is the dependency root of the API: every resolver reaches the
// domain only through these root interfaces, so the API can be tested with
// in-memory fakes and wired to MongoDB and Temporal by the server.
//
// Set the fields, then hand the Resolver to NewHandler. A Resolver must not be
// copied after first use.
type Resolver struct {
	ProductService      orderly.ProductService
	CartService         orderly.CartService
	OrderService        orderly.OrderService
	AccountService      orderly.AccountService
	RewardsService      orderly.RewardsService
	NotificationService orderly.NotificationService
	SettingsService     orderly.SettingsService
	// ChangeFeed is the process-wide change feed that subscriptions follow.
	ChangeFeed orderly.ChangeFeed
	// OrderProcessing drives the order and rewards workflows.
	OrderProcessing orderly.OrderProcessing
	// Checkout turns carts into orders (placeOrder).
	Checkout orderly.CheckoutService
	// OrderStats feeds the operators' dashboard (operationsDashboard).
	OrderStats orderly.OrderStatsService
	// LocationService lists the stock locations and restocks them; nil
	// serves no locations (products then show no availability).
	LocationService orderly.LocationService

	// TemporalUIURL is the base URL of the Temporal Web UI (for example
	// http://localhost:8233); empty hides the links.
	TemporalUIURL string
	// TemporalNamespace is the namespace the workflows run in ("default" if empty).
	TemporalNamespace string
	// LoginLimits bounds sign-in and registration attempts; zero fields take
	// the defaults of DefaultLoginLimits.
	LoginLimits LoginLimits
	// Logger receives unexpected errors and panics; slog.Default() if nil.
	Logger *slog.Logger
	// Now returns the current time; time.Now if nil. Tests pin it.
	Now func() time.Time

	limiterOnce sync.Once
	limiter     *loginLimiter
	// live counts the subscriptions being served.
	live atomic.Int64
	// dashboards keeps each window's dashboard briefly (dashboard.go).
	dashboards dashboardCache
}

// LiveSubscriptions returns the number of GraphQL subscriptions being
// served by this process (for the live-subscriptions gauge).
func (r *Resolver) LiveSubscriptions() int { return int(r.live.Load()) }

// serving counts a subscription from now until the returned function runs.
func (r *Resolver) serving() (done func()) {
	r.live.Add(1)
	return func() { r.live.Add(-1) }
}

func (r *Resolver) logger() *slog.Logger {
	if r.Logger == nil {
		return slog.Default()
	}
	return r.Logger
}

func (r *Resolver) now() time.Time {
	if r.Now == nil {
		return time.Now().UTC()
	}
	return r.Now().UTC()
}

// logins returns the resolver's login rate limiter, created on first use.
func (r *Resolver) logins() *loginLimiter {
	r.limiterOnce.Do(func() { r.limiter = newLoginLimiter(r.LoginLimits.withDefaults()) })
	return r.limiter
}

// temporalURL links a workflow in the Temporal Web UI, or returns nil when no
// UI is configured.
func (r *Resolver) temporalURL(workflowID string) *string {
	if r.TemporalUIURL == "" || workflowID == "" {
		return nil
	}
	ns := r.TemporalNamespace
	if ns == "" {
		ns = "default"
	}
	u := strings.TrimRight(r.TemporalUIURL, "/") + "/namespaces/" + url.PathEscape(ns) + "/workflows/" + url.PathEscape(workflowID)
	return &u
}
