package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orderly-shop/orderly/internal/bench"
	"github.com/orderly-shop/orderly/internal/bench/report"
)

// TestSmoke runs the whole harness briefly on the real stack (it builds and
// starts Temporal, the store, the server, the worker and the bare worker)
// and checks only that the report is complete and well-formed, with
// non-zero counts everywhere a run must have counted something. It asserts
// nothing about speed.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: runs the benchmark on the real stack")
	}
	cfg := bench.Config{
		Window: 15 * time.Second, Warmup: time.Second, WarmupMax: 2 * time.Minute,
		Shoppers: []int{2}, Stored: []int{0, 20}, StoredShoppers: 2,
		TrackingUpdates: 1, TrackingInterval: 100 * time.Millisecond,
		OrderTimeout: 2 * time.Minute, Restock: 1000,
		CatalogClients: 4, CatalogWindow: 2 * time.Second,
		Subscribers: []int{20}, FanOutTrackingUpdates: 1, FanOutTrackingInterval: 200 * time.Millisecond,
		FanOutTimeout: 2 * time.Minute,
		EndToEnd:      true, Catalog: true, FanOut: true,
		Logger:     slog.New(slog.NewTextHandler(t.Output(), nil)),
		ProcessLog: t.Output(),
	}
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Minute)
	defer cancel()
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := report.Write(dir, rep); err != nil {
		t.Fatal(err)
	}

	// The JSON is the report: read it back rather than trusting rep.
	data, err := os.ReadFile(filepath.Join(dir, report.FileJSON))
	if err != nil {
		t.Fatal(err)
	}
	var got report.Report
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("report JSON: %v", err)
	}
	for _, n := range got.Notes {
		if strings.Contains(n, "left out") {
			t.Errorf("a part is missing: %s", n)
		}
	}
	if len(got.EndToEnd) != 2 {
		t.Fatalf("%d end-to-end points, want 2 (2 shoppers with 0 and 20 stored)", len(got.EndToEnd))
	}
	for _, p := range got.EndToEnd {
		checkRun(t, "bare", p, p.Bare, "temporal", "bareWorker", "harness")
		checkRun(t, "orderly", p, p.Orderly, "temporal", "store", "server", "worker", "harness")
		if p.ThroughputRatio <= 0 || p.P99Ratio <= 0 {
			t.Errorf("point %d/%d: ratios %g, %g", p.Shoppers, p.Stored, p.ThroughputRatio, p.P99Ratio)
		}
		if st := p.Orderly.Store; st == nil || st.Requests <= 0 || st.RequestsPerOrder <= 0 {
			t.Errorf("point %d/%d: no store requests counted: %+v", p.Shoppers, p.Stored, st)
		}
		if p.Orderly.PlaceOrder == nil || p.Orderly.PlaceOrder.Count == 0 {
			t.Errorf("point %d/%d: no placeOrder round trip measured", p.Shoppers, p.Stored)
		}
	}
	if pop := got.EndToEnd[1].Population; pop == nil || pop.Orders != 20 || pop.DocsPerOrder["orders"] != 1 || pop.Template == "" {
		t.Errorf("stored point population %+v, want 20 orders, one orders document each", pop)
	}
	if s := got.Shape; s == nil || len(s.Orderly.Order) == 0 || len(s.Orderly.Shipping) == 0 || len(s.Bare.Order) == 0 || len(s.Bare.Shipping) == 0 {
		t.Errorf("shape check missing: %+v", got.Shape)
	}
	if c := got.Catalog; c == nil || c.Server.Requests == 0 || c.Memory.Requests == 0 || c.Ratio <= 0 || c.Server.Latency.P50 <= 0 {
		t.Errorf("catalog %+v", got.Catalog)
	}
	if len(got.FanOut) != 1 {
		t.Fatalf("%d fan-out points, want 1", len(got.FanOut))
	}
	f := got.FanOut[0]
	if f.Subscribed != 20 || f.Changes == 0 || f.Delivered == 0 || f.Expected == 0 || f.Latency.Count == 0 || f.ServerRSSBefore <= 0 {
		t.Errorf("fan-out %+v", f)
	}

	md, err := os.ReadFile(filepath.Join(dir, report.FileMarkdown))
	if err != nil {
		t.Fatal(err)
	}
	for _, section := range []string{"## End to end", "### By shoppers, fresh store", "### By orders already stored",
		"### Cost per completed order", "### Shape check", "## Catalog read", "## Subscription fan-out"} {
		if !bytes.Contains(md, []byte(section)) {
			t.Errorf("Markdown lacks %q", section)
		}
	}
	for _, chart := range []string{report.ChartThroughputShoppers, report.ChartLatencyShoppers,
		report.ChartThroughputStored, report.ChartLatencyStored, report.ChartFanOut} {
		svg, err := os.ReadFile(filepath.Join(dir, chart))
		if err != nil {
			t.Errorf("chart %s: %v", chart, err)
			continue
		}
		checkXML(t, chart, svg)
	}
}

// checkRun checks that a run counted orders and charged the processes.
func checkRun(t *testing.T, name string, p report.Point, r report.Run, roles ...string) {
	t.Helper()
	if r.Completed == 0 || r.OrdersPerSecond <= 0 || r.Latency.Count != r.Completed || r.Latency.P50 <= 0 || r.WindowSeconds <= 0 {
		t.Errorf("%s at %d shoppers, %d stored: %+v", name, p.Shoppers, p.Stored, r)
	}
	for _, role := range roles {
		proc, ok := r.Processes[role]
		if !ok || proc.RSSBytes <= 0 {
			t.Errorf("%s at %d shoppers, %d stored: no figures for the %s process (%+v)", name, p.Shoppers, p.Stored, role, r.Processes)
		}
	}
}

func checkXML(t *testing.T, name string, data []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Errorf("chart %s is not well-formed: %v", name, err)
			return
		}
	}
}
