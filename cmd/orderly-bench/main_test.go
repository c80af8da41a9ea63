package main

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestParse: the defaults are the full report; -quick shrinks it but an
// explicit flag still wins wherever it sits; lists parse; bad values are
// refused before anything starts.
func TestParse(t *testing.T) {
	full, o, err := parse(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(full.Shoppers, []int{8, 32, 128}) || !slices.Equal(full.Stored, []int{0, 1000, 5000}) ||
		full.Window != time.Minute || !full.EndToEnd || !full.Catalog || !full.FanOut || o.out != "docs/bench" {
		t.Fatalf("defaults %+v %+v", full, o)
	}
	q, _, err := parse([]string{"-shoppers", "3,5", "-quick", "-parts", "e2e"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(q.Shoppers, []int{3, 5}) || q.Window >= full.Window || q.Catalog || q.FanOut {
		t.Fatalf("quick with explicit shoppers: %+v", q)
	}
	for _, bad := range [][]string{
		{"-parts", "e2e,bogus"},
		{"-shoppers", "8,x"},
		{"-shoppers", "0"},
		{"-tracking-interval", "1ms"},
	} {
		if _, _, err := parse(bad, io.Discard); err == nil {
			t.Errorf("parse(%s) accepted", strings.Join(bad, " "))
		}
	}
}
