// Package catalog serves the product catalog from memory, kept fresh by the
// change feed: a catalog read costs no store request at all, and a change to
// a product (a reservation moving its stock, a restock) reaches every
// server's copy within the feed's delay.
//
// The store stays the source of truth for stock: a cached figure is what a
// shopper sees, and the reservation, made against the store, decides.
package catalog

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/orderly-shop/orderly"
)

// Source is where the cache loads the whole catalog from.
type Source interface {
	AllProducts(ctx context.Context) ([]*orderly.Product, error)
}

// reloadRetry is the pause before loading again after a failed load.
const reloadRetry = time.Second

// Cache is the catalog in memory. It implements orderly.ProductService;
// products it returns are shared copies that callers must not modify.
type Cache struct {
	source Source
	feed   orderly.ChangeFeed
	logger *slog.Logger

	ready     chan struct{}
	readyOnce sync.Once

	mu     sync.RWMutex
	byID   map[string]*orderly.Product
	sorted []*orderly.Product // in orderly.CompareProducts order
}

var _ orderly.ProductService = (*Cache)(nil)

// New returns a cache over source, following feed. Call Run to fill it.
func New(source Source, feed orderly.ChangeFeed, logger *slog.Logger) *Cache {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Cache{source: source, feed: feed, logger: logger.With("component", "catalog"),
		ready: make(chan struct{}), byID: map[string]*orderly.Product{}}
}

// Run loads the catalog and keeps it fresh until ctx ends. It subscribes to
// product changes before each load, so no change between the load and the
// subscription is lost; when the feed drops it, it loads everything again.
func (c *Cache) Run(ctx context.Context) error {
	isProduct := func(ch orderly.Change) bool { return ch.Kind == orderly.ChangeProduct }
	for ctx.Err() == nil {
		changes := c.feed.Subscribe(ctx, isProduct)
		if err := c.load(ctx); err != nil {
			if ctx.Err() == nil {
				c.logger.WarnContext(ctx, "cannot load the catalog; retrying", "err", err)
			}
			sleep(ctx, reloadRetry)
			continue
		}
		c.readyOnce.Do(func() { close(c.ready) })
		for ch := range changes {
			if ch.Product != nil {
				c.put(ch.Product)
			}
		}
	}
	return nil
}

// Wait blocks until the first load has finished or ctx ends. Every read
// waits for it too, so that no caller sees an empty catalog while the first
// load runs.
func (c *Cache) Wait(ctx context.Context) error {
	select {
	case <-c.ready:
		return nil
	case <-ctx.Done():
		return orderly.Errorf(orderly.EUNAVAILABLE, "the catalog is loading; try again shortly")
	}
}

func (c *Cache) load(ctx context.Context) error {
	products, err := c.source.AllProducts(ctx)
	if err != nil {
		return err
	}
	byID := make(map[string]*orderly.Product, len(products))
	for _, p := range products {
		byID[p.ID] = p
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// A change delivered while the load ran may be newer than what it read.
	for id, old := range c.byID {
		if p, ok := byID[id]; ok && old.Version > p.Version {
			byID[id] = old
		}
	}
	c.byID = byID
	c.resortLocked()
	return nil
}

// put stores p unless the cache holds a newer version.
func (c *Cache) put(p *orderly.Product) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.byID[p.ID]; ok && old.Version >= p.Version {
		return
	}
	c.byID[p.ID] = p
	c.resortLocked()
}

func (c *Cache) resortLocked() {
	c.sorted = c.sorted[:0]
	for _, p := range c.byID {
		c.sorted = append(c.sorted, p)
	}
	slices.SortFunc(c.sorted, orderly.CompareProducts)
}

// FindProductByID returns ENOTFOUND if there is no such product.
func (c *Cache) FindProductByID(ctx context.Context, id string) (*orderly.Product, error) {
	if err := c.Wait(ctx); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.byID[id]
	if !ok {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "product %q not found", id)
	}
	return p, nil
}

// FindProductsByIDs returns the products found; unknown IDs are skipped.
func (c *Cache) FindProductsByIDs(ctx context.Context, ids []string) ([]*orderly.Product, error) {
	if err := c.Wait(ctx); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]*orderly.Product, 0, len(ids))
	for _, id := range ids {
		if p, ok := c.byID[id]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// cursor is the position after a product in catalog order.
type cursor struct {
	Name string `json:"n"`
	ID   string `json:"id"`
}

func encodeCursor(p *orderly.Product) string {
	b, _ := json.Marshal(cursor{Name: p.Name, ID: p.ID}) // two strings always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" {
		return cursor{}, orderly.FieldErrorf(orderly.EINVALID, "after", "after is not a valid cursor")
	}
	return c, nil
}

// FindProducts returns one page of the products the filter matches, in
// catalog order, with the total count.
func (c *Cache) FindProducts(ctx context.Context, f orderly.ProductFilter) (orderly.Page[*orderly.Product], error) {
	if err := f.Validate(); err != nil {
		return orderly.Page[*orderly.Product]{}, err
	}
	if err := c.Wait(ctx); err != nil {
		return orderly.Page[*orderly.Product]{}, err
	}
	var after *orderly.Product
	if f.Page.After != "" {
		cur, err := decodeCursor(f.Page.After)
		if err != nil {
			return orderly.Page[*orderly.Product]{}, err
		}
		after = &orderly.Product{Name: cur.Name, ID: cur.ID}
	}
	size := f.Page.Size()
	page := orderly.Page[*orderly.Product]{Items: []*orderly.Product{}, Cursors: []string{}}
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, p := range c.sorted {
		if !f.Matches(p) {
			continue
		}
		page.TotalCount++
		if after != nil && orderly.CompareProducts(p, after) <= 0 {
			continue
		}
		if len(page.Items) == size {
			page.HasNextPage = true
			continue
		}
		page.Items = append(page.Items, p)
		page.Cursors = append(page.Cursors, encodeCursor(p))
	}
	return page, nil
}

// Categories lists the distinct non-empty categories, sorted.
func (c *Cache) Categories(ctx context.Context) ([]string, error) {
	if err := c.Wait(ctx); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	var cats []string
	for _, p := range c.sorted {
		if p.Category != "" && !slices.Contains(cats, p.Category) {
			cats = append(cats, p.Category)
		}
	}
	slices.Sort(cats)
	return cats, nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
