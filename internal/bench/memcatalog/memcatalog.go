// Package memcatalog is an orderly.ProductService over a fixed list of
// products held in memory. The benchmark serves the catalog query from it
// through the same graph handler the server uses, so that the ratio of the
// real server to it is what the store and the network between them cost.
package memcatalog

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/orderly-shop/orderly"
)

// Catalog is a read-only product list, ordered by name as the store orders
// it. It is safe for concurrent use.
type Catalog struct {
	products []*orderly.Product
	byID     map[string]*orderly.Product
}

var _ orderly.ProductService = (*Catalog)(nil)

// New returns a catalog of copies of products.
func New(products []orderly.Product) *Catalog {
	c := &Catalog{byID: map[string]*orderly.Product{}}
	for _, p := range products {
		c.products = append(c.products, &p)
		c.byID[p.ID] = &p
	}
	slices.SortStableFunc(c.products, func(a, b *orderly.Product) int {
		if n := strings.Compare(a.Name, b.Name); n != 0 {
			return n
		}
		return strings.Compare(a.ID, b.ID)
	})
	return c
}

// FindProductByID implements orderly.ProductService.
func (c *Catalog) FindProductByID(_ context.Context, id string) (*orderly.Product, error) {
	p, ok := c.byID[id]
	if !ok {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "no product %s", id)
	}
	cp := *p
	return &cp, nil
}

// FindProductsByIDs implements orderly.ProductService.
func (c *Catalog) FindProductsByIDs(_ context.Context, ids []string) ([]*orderly.Product, error) {
	var out []*orderly.Product
	for _, id := range ids {
		if p, ok := c.byID[id]; ok {
			cp := *p
			out = append(out, &cp)
		}
	}
	return out, nil
}

// FindProducts implements orderly.ProductService. Cursors are positions in
// the filtered list.
func (c *Catalog) FindProducts(_ context.Context, f orderly.ProductFilter) (orderly.Page[*orderly.Product], error) {
	if err := f.Page.Validate(); err != nil {
		return orderly.Page[*orderly.Product]{}, err
	}
	var match []*orderly.Product
	search := strings.ToLower(f.Search)
	for _, p := range c.products {
		if f.Category != "" && p.Category != f.Category {
			continue
		}
		if search != "" && !strings.Contains(strings.ToLower(p.Name+"\n"+p.Description+"\n"+p.SKU), search) {
			continue
		}
		match = append(match, p)
	}
	start := 0
	if f.Page.After != "" {
		n, err := decodeCursor(f.Page.After)
		if err != nil {
			return orderly.Page[*orderly.Product]{}, orderly.FieldErrorf(orderly.EINVALID, "after", "invalid cursor")
		}
		start = min(n+1, len(match))
	}
	end := min(start+f.Page.Size(), len(match))
	page := orderly.Page[*orderly.Product]{HasNextPage: end < len(match), TotalCount: len(match)}
	for i := start; i < end; i++ {
		cp := *match[i]
		page.Items = append(page.Items, &cp)
		page.Cursors = append(page.Cursors, encodeCursor(i))
	}
	return page, nil
}

// Categories implements orderly.ProductService.
func (c *Catalog) Categories(context.Context) ([]string, error) {
	var out []string
	for _, p := range c.products {
		if !slices.Contains(out, p.Category) {
			out = append(out, p.Category)
		}
	}
	slices.Sort(out)
	return out, nil
}

func encodeCursor(i int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("p:" + strconv.Itoa(i)))
}

func decodeCursor(s string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), "p:"))
	if err != nil || n < 0 {
		return 0, strconv.ErrSyntax
	}
	return n, nil
}
