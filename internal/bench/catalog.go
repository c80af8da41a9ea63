package bench

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"sync"
	"time"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/graph"
	"github.com/orderly-shop/orderly/internal/bench/gqlclient"
	"github.com/orderly-shop/orderly/internal/bench/memcatalog"
	"github.com/orderly-shop/orderly/internal/bench/report"
)

// catalogRounds is how many turns each side takes: alternating spreads
// whatever else the machine does over both.
const catalogRounds = 2

// catalog measures products(first: 20) on the real server (a fresh store,
// no worker) against the same graph handler over an in-memory copy of the
// same catalog, served in this process.
func (h *harness) catalog(ctx context.Context) (*report.Catalog, error) {
	h.logger.Info("catalog read", "clients", h.cfg.CatalogClients)
	a, err := h.startApp(ctx, appOptions{noWorker: true, namespace: "default",
		trackingUpdates: h.cfg.TrackingUpdates, trackingInterval: h.cfg.TrackingInterval})
	if err != nil {
		return nil, err
	}
	defer a.stop()
	setup, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	products, err := readCatalog(setup, a.url)
	if err != nil {
		return nil, err
	}
	resolver := &graph.Resolver{ProductService: memcatalog.New(products), Logger: slog.New(slog.DiscardHandler)}
	mem := httptest.NewServer(graph.NewHandler(resolver, graph.DefaultHandlerOptions()))
	defer mem.Close()

	c := &report.Catalog{Clients: h.cfg.CatalogClients, WindowSeconds: h.cfg.CatalogWindow.Seconds(), Query: productsQuery}
	server := &tally{}
	memory := &tally{}
	turn := h.cfg.CatalogWindow / catalogRounds
	for range catalogRounds {
		server.add(h.readLoad(ctx, a.url, turn, meter{h: h, pids: a.pids(), stats: a.stats}))
		memory.add(h.readLoad(ctx, mem.URL, turn, meter{h: h, pids: map[string]int{"harness": os.Getpid()}}))
	}
	c.Server, c.Memory = server.throughput(), memory.throughput()
	c.Ratio = report.Ratio(c.Server.RequestsPerSecond, c.Memory.RequestsPerSecond)
	h.logger.Info("catalog read done", "server_rps", round(c.Server.RequestsPerSecond), "memory_rps", round(c.Memory.RequestsPerSecond), "ratio", round(c.Ratio))
	return c, nil
}

// readCatalog reads every product, every field, through the API.
func readCatalog(ctx context.Context, url string) ([]orderly.Product, error) {
	var out struct {
		Products struct {
			Edges []struct {
				Node struct {
					ID, SKU, Name, Description, Category, ImageURL string
					Stock                                          int
					Price                                          orderly.Money
				}
			}
		}
	}
	if err := gqlclient.New(url, nil).Do(ctx, catalogQuery, nil, &out); err != nil {
		return nil, fmt.Errorf("read the catalog: %w", err)
	}
	var ps []orderly.Product
	for _, e := range out.Products.Edges {
		n := e.Node
		ps = append(ps, orderly.Product{ID: n.ID, SKU: n.SKU, Name: n.Name, Description: n.Description,
			Category: n.Category, ImageURL: n.ImageURL, Stock: n.Stock, Price: n.Price})
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("the catalog is empty")
	}
	return ps, nil
}

// readTurn is one side's turn of the catalog load.
type readTurn struct {
	requests, errors int
	latencies        []time.Duration
	length           time.Duration
	before, after    usage
}

// readLoad runs the catalog clients against url for d (after a warm-up of
// a tenth of it), measuring with m.
func (h *harness) readLoad(ctx context.Context, url string, d time.Duration, m meter) readTurn {
	var (
		mu       sync.Mutex
		t        readTurn
		wg       sync.WaitGroup
		counting bool
	)
	loadCtx, stop := context.WithCancel(ctx)
	defer stop()
	for i := range h.cfg.CatalogClients {
		c := gqlclient.New(url, gqlclient.SourceAddress(i))
		wg.Go(func() {
			defer c.CloseIdle()
			for loadCtx.Err() == nil {
				var out struct {
					Products struct {
						TotalCount int
						Edges      []struct{ Cursor string }
					}
				}
				start := time.Now()
				err := c.Do(loadCtx, productsQuery, map[string]any{"first": 20}, &out)
				took := time.Since(start)
				if loadCtx.Err() != nil {
					return
				}
				mu.Lock()
				if counting {
					if err != nil || len(out.Products.Edges) == 0 {
						t.errors++
					} else {
						t.requests++
						t.latencies = append(t.latencies, took)
					}
				}
				mu.Unlock()
			}
		})
	}
	sleep(ctx, d/10)
	before := m.sample(ctx)
	mu.Lock()
	counting = true
	mu.Unlock()
	from := time.Now()
	sleep(ctx, d)
	mu.Lock()
	counting = false
	t.length = time.Since(from)
	mu.Unlock()
	t.before, t.after = before, m.sample(ctx)
	stop()
	wg.Wait()
	return t
}

// tally adds up one side's turns.
type tally struct {
	requests, errors int
	latencies        []time.Duration
	length           time.Duration
	cpu              map[string]float64
	rss              map[string]int64
	store            *report.StoreCost
}

func (t *tally) add(r readTurn) {
	t.requests += r.requests
	t.errors += r.errors
	t.latencies = append(t.latencies, r.latencies...)
	t.length += r.length
	procs, store := costs(r.before, r.after, r.requests, r.length)
	if t.cpu == nil {
		t.cpu, t.rss = map[string]float64{}, map[string]int64{}
	}
	for role, p := range procs {
		t.cpu[role] += p.CPUSeconds
		t.rss[role] = p.RSSBytes
	}
	if store != nil {
		if t.store == nil {
			t.store = &report.StoreCost{Source: store.Source, PerOrder: map[string]float64{}}
		}
		t.store.Requests += store.Requests
		for name, perRequest := range store.PerOrder {
			t.store.PerOrder[name] += perRequest * float64(r.requests) // back to a count
		}
	}
}

func (t *tally) throughput() report.Throughput {
	out := report.Throughput{Requests: t.requests, Errors: t.errors,
		RequestsPerSecond: report.Ratio(float64(t.requests), t.length.Seconds()), Latency: report.Summarize(t.latencies),
		Processes: map[string]report.Process{}}
	for role, sec := range t.cpu {
		out.Processes[role] = report.Process{CPUSeconds: sec, CPUPerOrder: report.Ratio(sec, float64(t.requests)),
			Cores: report.Ratio(sec, t.length.Seconds()), RSSBytes: t.rss[role]}
	}
	if t.store != nil {
		t.store.RequestsPerOrder = report.Ratio(t.store.Requests, float64(t.requests))
		for name, n := range t.store.PerOrder {
			t.store.PerOrder[name] = report.Ratio(n, float64(t.requests))
		}
		out.Store = t.store
	}
	return out
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
