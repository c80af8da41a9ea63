package bench

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/orderly-shop/orderly"
)

// Config is one run of the benchmark.
type Config struct {
	// Root is the repository root (binaries are built into Root/bin); ""
	// finds it from the working directory.
	Root string

	// Window is the measured time of each end-to-end run; Warmup the least
	// time the loop runs before it, and WarmupMax the most (the warm-up also
	// waits until every client has finished one order).
	Window, Warmup, WarmupMax time.Duration
	// Shoppers are the client counts of the fresh-store points.
	Shoppers []int
	// Stored are the counts of orders stored beforehand, each run with
	// StoredShoppers clients; 0 is the fresh-store point of that count.
	Stored         []int
	StoredShoppers int
	// TrackingUpdates and TrackingInterval pace shipping, for Orderly
	// (SHIPPING_TRACKING_*) and the bare program alike.
	TrackingUpdates  int
	TrackingInterval time.Duration
	// OrderTimeout bounds one order in the loop; a longer one counts as an
	// error and the shopper starts the next.
	OrderTimeout time.Duration
	// Restock adds that many units of every product at every location
	// before a point (at most orderly.MaxRestockQuantity each), so that no
	// order fails for want of stock (0: the seeded stock only).
	Restock int

	// CatalogClients read the catalog for CatalogWindow on each side.
	CatalogClients int
	CatalogWindow  time.Duration

	// Subscribers are the fan-out points; FanOutTrackingUpdates and
	// FanOutTrackingInterval pace the followed order (updates + 8 changes
	// follow the approval).
	Subscribers            []int
	FanOutTrackingUpdates  int
	FanOutTrackingInterval time.Duration
	// FanOutTimeout bounds the delivery of all changes at one point.
	FanOutTimeout time.Duration

	// EndToEnd, Catalog and FanOut select the parts to run.
	EndToEnd, Catalog, FanOut bool

	// Logger receives progress; nil discards it. ProcessLog receives the
	// output of every started process; nil discards it.
	Logger     *slog.Logger
	ProcessLog io.Writer
}

// DefaultConfig is the full report: about half an hour on two cores.
func DefaultConfig() Config {
	return Config{
		Window: 60 * time.Second, Warmup: 15 * time.Second, WarmupMax: 2 * time.Minute,
		Shoppers: []int{8, 32, 128}, Stored: []int{0, 1000, 5000}, StoredShoppers: 8,
		TrackingUpdates: 3, TrackingInterval: time.Second,
		OrderTimeout: 3 * time.Minute, Restock: orderly.MaxRestockQuantity,
		CatalogClients: 16, CatalogWindow: 20 * time.Second,
		Subscribers: []int{500, 2000}, FanOutTrackingUpdates: 3, FanOutTrackingInterval: time.Second,
		FanOutTimeout: 3 * time.Minute,
		EndToEnd:      true, Catalog: true, FanOut: true,
	}
}

// Validate says what is wrong with c, all at once.
func (c Config) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	positive := func(name string, ns []int) {
		for _, n := range ns {
			check(n > 0, "%s: %d is not a positive count", name, n)
		}
	}
	if c.EndToEnd {
		check(c.Window > 0, "window must be positive")
		check(c.Warmup >= 0 && c.WarmupMax >= c.Warmup, "warm-up bounds %s..%s", c.Warmup, c.WarmupMax)
		check(len(c.Shoppers) > 0 || len(c.Stored) > 0, "no end-to-end point: set shoppers or stored")
		positive("shoppers", c.Shoppers)
		for _, n := range c.Stored {
			check(n >= 0, "stored: %d is negative", n)
		}
		check(len(c.Stored) == 0 || c.StoredShoppers > 0, "stored points need a positive stored-shoppers")
		check(c.TrackingUpdates >= 0 && c.TrackingUpdates <= 20, "tracking updates %d outside 0..20", c.TrackingUpdates)
		check(c.TrackingInterval >= 10*time.Millisecond, "tracking interval %s below 10ms (the server's minimum)", c.TrackingInterval)
		check(c.OrderTimeout > 0, "order timeout must be positive")
		check(c.Restock >= 0, "restock must not be negative")
	}
	if c.Catalog {
		check(c.CatalogClients > 0 && c.CatalogWindow > 0, "catalog needs clients and a window")
	}
	if c.FanOut {
		check(len(c.Subscribers) > 0, "fan-out needs subscriber counts")
		positive("subscribers", c.Subscribers)
		check(c.FanOutTrackingUpdates >= 0 && c.FanOutTrackingUpdates <= 20, "fan-out tracking updates outside 0..20")
		check(c.FanOutTrackingInterval >= 10*time.Millisecond, "fan-out tracking interval below 10ms")
		check(c.FanOutTimeout > 0, "fan-out timeout must be positive")
	}
	check(c.EndToEnd || c.Catalog || c.FanOut, "no part selected")
	return errors.Join(errs...)
}

// point is one end-to-end measurement to make.
type point struct{ shoppers, stored int }

// points lists the end-to-end points: the fresh-store series, then the
// stored series, each point once.
func (c Config) points() []point {
	var ps []point
	add := func(p point) {
		if !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	for _, n := range c.Shoppers {
		add(point{shoppers: n})
	}
	for _, n := range c.Stored {
		add(point{shoppers: c.StoredShoppers, stored: n})
	}
	return ps
}
