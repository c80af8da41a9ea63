package memcatalog

import (
	"testing"

	"github.com/orderly-shop/orderly"
)

// TestFindProductsPages walks the catalog by name, page by page, and filters
// it as the store does.
func TestFindProductsPages(t *testing.T) {
	c := New([]orderly.Product{
		{ID: "prd_c", Name: "Chair", Category: "Office", SKU: "OFF-1"},
		{ID: "prd_a", Name: "Apron", Category: "Kitchen", SKU: "KIT-1", Description: "Cotton"},
		{ID: "prd_b", Name: "Bottle", Category: "Outdoor", SKU: "OUT-1"},
	})
	ctx := t.Context()
	first, err := c.FindProducts(ctx, orderly.ProductFilter{Page: orderly.PageRequest{First: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Items) != 2 || first.Items[0].Name != "Apron" || first.Items[1].Name != "Bottle" || !first.HasNextPage || first.TotalCount != 3 {
		t.Fatalf("first page %+v", first)
	}
	rest, err := c.FindProducts(ctx, orderly.ProductFilter{Page: orderly.PageRequest{First: 2, After: first.Cursors[1]}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rest.Items) != 1 || rest.Items[0].Name != "Chair" || rest.HasNextPage {
		t.Fatalf("second page %+v", rest)
	}
	found, _ := c.FindProducts(ctx, orderly.ProductFilter{Search: "cotton"})
	if len(found.Items) != 1 || found.Items[0].ID != "prd_a" {
		t.Fatalf("search cotton: %+v", found.Items)
	}
	if _, err := c.FindProducts(ctx, orderly.ProductFilter{Page: orderly.PageRequest{After: "!!"}}); orderly.ErrorCode(err) != orderly.EINVALID {
		t.Fatalf("bad cursor: %v, want EINVALID", err)
	}
	if _, err := c.FindProductByID(ctx, "prd_x"); orderly.ErrorCode(err) != orderly.ENOTFOUND {
		t.Fatalf("unknown product: %v, want ENOTFOUND", err)
	}
	cats, _ := c.Categories(ctx)
	if len(cats) != 3 || cats[0] != "Kitchen" {
		t.Fatalf("categories %v", cats)
	}
}
