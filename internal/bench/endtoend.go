package bench

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/devstack"
	"github.com/orderly-shop/orderly/internal/bench/bare"
	"github.com/orderly-shop/orderly/internal/bench/gqlclient"
	"github.com/orderly-shop/orderly/internal/bench/report"
)

// database is the database name the benchmark's apps use (the default).
const database = "orderly"

// Demo operator of a development server.
const (
	operatorEmail    = "admin@orderly.dev"
	operatorPassword = "orderly-admin"
)

// setupTimeout bounds what comes before a measurement: accounts, settings,
// stored orders, subscriptions.
const setupTimeout = 10 * time.Minute

// sourceTemplate is the loopback source of the stored orders' template
// customer; shoppers use 0..n-1, the operator the default address.
const sourceTemplate = 60_000

// endToEnd measures one point: the bare program, then Orderly, with the same
// number of clients. shape asks for the history comparison too.
func (h *harness) endToEnd(ctx context.Context, p point, shape bool) (report.Point, *report.Shape, error) {
	rp := report.Point{Shoppers: p.shoppers, Stored: p.stored}
	h.logger.Info("end to end: bare Temporal", "clients", p.shoppers)
	bareRun, bareShape, err := h.bareRun(ctx, p.shoppers, shape)
	if err != nil {
		return rp, nil, fmt.Errorf("bare program, %d clients: %w", p.shoppers, err)
	}
	rp.Bare = bareRun
	h.logger.Info("end to end: Orderly", "shoppers", p.shoppers, "stored", p.stored)
	orderlyRun, pop, orderlyShape, err := h.orderlyRun(ctx, p, shape)
	if err != nil {
		return rp, nil, fmt.Errorf("orderly, %d shoppers, %d stored: %w", p.shoppers, p.stored, err)
	}
	rp.Orderly, rp.Population = orderlyRun, pop
	rp.ThroughputRatio = report.Ratio(rp.Orderly.OrdersPerSecond, rp.Bare.OrdersPerSecond)
	rp.P99Ratio = report.Ratio(rp.Orderly.Latency.P99, rp.Bare.Latency.P99)
	h.logger.Info("end to end: point done", "shoppers", p.shoppers, "stored", p.stored,
		"bare_orders_per_s", round(rp.Bare.OrdersPerSecond), "orderly_orders_per_s", round(rp.Orderly.OrdersPerSecond),
		"ratio", round(rp.ThroughputRatio), "orderly_failed", rp.Orderly.Failed, "orderly_errors", rp.Orderly.Errors)
	var sh *report.Shape
	if bareShape != nil && orderlyShape != nil {
		sh = &report.Shape{Bare: *bareShape, Orderly: *orderlyShape}
	}
	return rp, sh, nil
}

// bareRun runs the bare program's closed loop in a namespace of its own.
func (h *harness) bareRun(ctx context.Context, clients int, wantShape bool) (report.Run, *report.HistoryShape, error) {
	ns := h.name("bare")
	if err := registerNamespace(ctx, h.temporal.Address, ns); err != nil {
		return report.Run{}, nil, err
	}
	w, err := devstack.Start(devstack.Options{Name: "bare-worker", Path: h.bin.bareWorker,
		Args: []string{"-temporal", h.temporal.Address, "-namespace", ns}, Output: h.out})
	if err != nil {
		return report.Run{}, nil, err
	}
	defer w.Stop()
	tc, err := dialTemporal(ctx, h.temporal.Address, ns)
	if err != nil {
		return report.Run{}, nil, err
	}
	defer tc.Close()

	starters := make([]*starter, clients)
	for i := range starters {
		starters[i] = &starter{temporal: tc, customerID: orderly.NewID(orderly.PrefixCustomer), timeout: h.cfg.OrderTimeout,
			shipping: bare.ShippingOptions{TrackingUpdates: h.cfg.TrackingUpdates, TrackingInterval: h.cfg.TrackingInterval}}
	}
	m := meter{h: h, pids: map[string]int{"temporal": h.temporal.Pid(), "bareWorker": w.Pid(), "harness": os.Getpid()}}
	res := closedLoop(ctx, h.cfg, clients, func(ctx context.Context, i, _ int) sample { return starters[i].order(ctx) }, m)
	var open []string
	var done string
	for _, s := range starters {
		if s.current != "" {
			open = append(open, s.current)
		}
		if s.lastCompleted != "" {
			done = s.lastCompleted
		}
	}
	terminate(ctx, tc, open)
	run := res.run(clients)
	if !res.warmedUp {
		h.note("bare program, %d clients: the warm-up ended at its bound (%s) before every client had finished an order", clients, h.cfg.WarmupMax)
	}
	var shape *report.HistoryShape
	if wantShape && done != "" {
		if s, err := historyShape(ctx, tc, done); err != nil {
			h.note("no history shape of the bare program: %v", err)
		} else {
			shape = &s
		}
	}
	return run, shape, nil
}

// orderlyRun runs Orderly's closed loop on a fresh app, with p.stored
// orders stored first.
func (h *harness) orderlyRun(ctx context.Context, p point, wantShape bool) (report.Run, *report.Population, *report.HistoryShape, error) {
	a, err := h.startApp(ctx, appOptions{trackingUpdates: h.cfg.TrackingUpdates, trackingInterval: h.cfg.TrackingInterval})
	if err != nil {
		return report.Run{}, nil, nil, err
	}
	defer a.stop()
	setup, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	products, err := h.prepareShop(setup, a, orderly.ApprovalNever)
	if err != nil {
		return report.Run{}, nil, nil, err
	}
	shoppers, err := registerShoppers(setup, a.url, p.shoppers, h.cfg.OrderTimeout)
	if err != nil {
		return report.Run{}, nil, nil, err
	}
	defer func() {
		for _, s := range shoppers {
			s.close()
		}
	}()
	var pop *report.Population
	if p.stored > 0 {
		if pop, err = h.populate(setup, a, database, p.stored, products[0], sourceTemplate); err != nil {
			return report.Run{}, nil, nil, fmt.Errorf("store %d orders: %w", p.stored, err)
		}
		h.logger.Info("stored orders", "orders", p.stored, "seconds", round(pop.Seconds), "docs_per_order", pop.DocsPerOrder)
	}

	run := h.name("run")
	m := meter{h: h, pids: a.pids(), stats: a.stats}
	res := closedLoop(ctx, h.cfg, p.shoppers, func(ctx context.Context, i, n int) sample {
		// Spread the orders over the catalog.
		product := products[(i*7+n)%len(products)]
		s, _ := shoppers[i].order(ctx, fmt.Sprintf("%s-%d-%d", run, i, n), product, n+1)
		return s
	}, m)
	var open []string
	var done string
	for _, s := range shoppers {
		if s.current != "" {
			open = append(open, orderly.OrderWorkflowIDFor(s.current))
		}
		if s.lastCompleted != "" {
			done = s.lastCompleted
		}
	}
	terminate(ctx, a.temporal, open)
	out := res.run(p.shoppers)
	if !res.warmedUp {
		h.note("Orderly, %d shoppers, %d stored: the warm-up ended at its bound (%s) before every shopper had finished an order",
			p.shoppers, p.stored, h.cfg.WarmupMax)
	}
	if out.Store != nil && out.Store.Source != "devstoreStats" {
		h.note("store request counts come from serverStatus (the devstore has no devstoreStats command yet); store CPU from /proc")
	}
	var shape *report.HistoryShape
	if wantShape && done != "" {
		if s, err := historyShape(ctx, a.temporal, orderly.OrderWorkflowIDFor(done)); err != nil {
			h.note("no history shape of Orderly: %v", err)
		} else {
			shape = &s
		}
	}
	return out, pop, shape, nil
}

// prepareShop sets the app up as the benchmark needs it, as an operator
// would: orders wait for approval as mode says; every product has plenty of
// stock. It returns the product IDs.
func (h *harness) prepareShop(ctx context.Context, a *app, mode orderly.ApprovalMode) ([]string, error) {
	op, err := login(ctx, a.url, nil, operatorEmail, operatorPassword)
	if err != nil {
		return nil, err
	}
	defer op.CloseIdle()
	if err := setApproval(ctx, op, mode); err != nil {
		return nil, err
	}
	var out struct {
		Products struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	if err := op.Do(ctx, productsQuery, map[string]any{"first": 100}, &out); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	var ids []string
	for _, e := range out.Products.Edges {
		ids = append(ids, e.Node.ID)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("the catalog is empty")
	}
	if h.cfg.Restock > 0 {
		if err := restock(ctx, op, ids, h.cfg.Restock); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// setApproval sets the approval mode (with a one-hour timeout) as the
// operator.
func setApproval(ctx context.Context, op *gqlclient.Client, mode orderly.ApprovalMode) error {
	var out struct {
		UpdateApprovalSettings struct{ Errors []userError }
	}
	if err := op.Do(ctx, approvalSettingsMutation, map[string]any{"m": string(mode), "s": 3600}, &out); err != nil {
		return fmt.Errorf("approval settings: %w", err)
	}
	return payloadError("updateApprovalSettings", out.UpdateApprovalSettings.Errors)
}

// restock adds units of every product at every stock location, as an
// operator does through the API (restock), at most
// orderly.MaxRestockQuantity per product and location.
func restock(ctx context.Context, op *gqlclient.Client, productIDs []string, units int) error {
	var locs struct{ Locations []struct{ ID string } }
	if err := op.Do(ctx, locationsQuery, nil, &locs); err != nil {
		return fmt.Errorf("restock: locations: %w", err)
	}
	for _, p := range productIDs {
		for _, l := range locs.Locations {
			var out struct {
				Restock struct{ Errors []userError }
			}
			vars := map[string]any{"p": p, "l": l.ID, "q": min(units, orderly.MaxRestockQuantity)}
			if err := op.Do(ctx, restockMutation, vars, &out); err != nil {
				return fmt.Errorf("restock: %w", err)
			}
			if err := payloadError("restock", out.Restock.Errors); err != nil {
				return err
			}
		}
	}
	return nil
}

// registerShoppers creates n customer accounts, each registering from its
// own loopback address, a few at a time.
func registerShoppers(ctx context.Context, url string, n int, timeout time.Duration) ([]*shopper, error) {
	shoppers := make([]*shopper, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	var mu sync.Mutex
	for i := range shoppers {
		g.Go(func() error {
			email := fmt.Sprintf("shopper-%d-%s@bench.example", i, orderly.NewID("r"))
			s, err := register(gctx, url, gqlclient.SourceAddress(i), email, timeout)
			if err != nil {
				return err
			}
			mu.Lock()
			shoppers[i] = s
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		for _, s := range shoppers {
			if s != nil {
				s.close()
			}
		}
		return nil, err
	}
	return shoppers, nil
}

// round keeps three decimals for log lines.
func round(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }
