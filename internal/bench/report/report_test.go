package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	var s []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		s = append(s, time.Duration(i)*time.Millisecond)
	}
	l := Summarize(s)
	if l.Count != 100 || l.P50 != 0.050 || l.P90 != 0.090 || l.P99 != 0.099 || l.Max != 0.100 || l.Mean != 0.0505 {
		t.Fatalf("summary %+v", l)
	}
	if l := Summarize(nil); l != (Latency{}) {
		t.Fatalf("empty summary %+v", l)
	}
	one := Summarize([]time.Duration{3 * time.Second})
	if one.P50 != 3 || one.P99 != 3 {
		t.Fatalf("one sample %+v", one)
	}
}

// sample is a small report with every section.
func sample() *Report {
	run := func(rate float64, p99 float64) Run {
		return Run{Clients: 8, WindowSeconds: 60, Completed: int(rate * 60), OrdersPerSecond: rate,
			Latency:   Latency{Count: int(rate * 60), P50: p99 / 2, P99: p99},
			Processes: map[string]Process{"temporal": {CPUSeconds: 6, CPUPerOrder: 0.1, Cores: 0.1}, "store": {CPUSeconds: 30, CPUPerOrder: 0.5, Cores: 0.5}}}
	}
	o := run(1, 8)
	o.Store = &StoreCost{Source: "devstoreStats", Requests: 3000, RequestsPerOrder: 50, PerOrder: map[string]float64{"find": 30, "update": 20},
		Fields: map[string]float64{"commands.*.gateWaitNanos": 6e9, "commands.*.backendNanos": 3e9}}
	return &Report{
		StartedAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), DurationSeconds: 600,
		Machine:  Machine{CPUs: 2, OS: "linux", Arch: "amd64", GoVersion: "go1.26"},
		Settings: Settings{WindowSeconds: 60, WarmupSeconds: 15, StoredShoppers: 8, TrackingUpdates: 3, TrackingIntervalSecs: 1},
		EndToEnd: []Point{
			{Shoppers: 8, Stored: 0, Bare: run(1.3, 6), Orderly: o, ThroughputRatio: 1 / 1.3, P99Ratio: 8.0 / 6},
			{Shoppers: 32, Stored: 0, Bare: run(4.2, 7), Orderly: run(0.7, 33), ThroughputRatio: 0.7 / 4.2, P99Ratio: 33.0 / 7},
			{Shoppers: 8, Stored: 1000, Bare: run(1.2, 6), Orderly: run(0.02, 72), ThroughputRatio: 0.02 / 1.2, P99Ratio: 12,
				Population: &Population{Orders: 1000, DocsPerOrder: map[string]int{"orders": 1, "payments": 1}}},
		},
		Shape: &Shape{
			Orderly: HistoryShape{Order: map[string]int{"ActivityTaskScheduled": 10}, Shipping: map[string]int{"TimerStarted": 4}},
			Bare:    HistoryShape{Order: map[string]int{"ActivityTaskScheduled": 10}, Shipping: map[string]int{"TimerStarted": 4}},
		},
		Catalog: &Catalog{Clients: 16, WindowSeconds: 20, Server: Throughput{Requests: 5000, RequestsPerSecond: 250, Latency: Latency{Count: 5000, P50: 0.064}},
			Memory: Throughput{Requests: 56000, RequestsPerSecond: 2800, Latency: Latency{Count: 56000, P50: 0.005}}, Ratio: 250.0 / 2800},
		FanOut: []FanOut{{Subscribers: 500, Subscribed: 500, Changes: 11, Delivered: 5500, Expected: 5500,
			Latency: Latency{Count: 5500, P50: 0.4, P99: 3}, BytesPerSubscriber: 100 << 10}},
		Notes: []string{"a note"},
	}
}

// TestMarkdownSections: every section and the figures that define them
// appear.
func TestMarkdownSections(t *testing.T) {
	md := sample().Markdown()
	for _, want := range []string{
		"## End to end", "### By shoppers, fresh store", "### By orders already stored, 8 shoppers", "### Cost per completed order",
		"### Shape check", "## Catalog read", "## Subscription fan-out", "## Notes",
		"**0.77×**", "**0.17×**", "| 8 | 1000 |", "0.02×", // vs fresh: 0.02 / 1
		"find 30.0, update 20.0", "0.09×", "100 KB",
		"| 8 | 0 | 100 ms | – | 50 ms |", // 6 s and 3 s over 60 orders
		ChartThroughputShoppers, ChartLatencyStored, ChartFanOut,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(md)
	}
}

// TestWrite writes a report and reads the JSON back.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path, err := Write(dir, sample())
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != FileMarkdown {
		t.Fatalf("path %s", path)
	}
	data, err := os.ReadFile(filepath.Join(dir, FileJSON))
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.EndToEnd) != 3 || back.Catalog.Ratio == 0 || back.FanOut[0].Delivered != 5500 {
		t.Fatalf("read back %+v", back)
	}
	for _, name := range []string{ChartThroughputShoppers, ChartLatencyShoppers, ChartThroughputStored, ChartLatencyStored, ChartFanOut} {
		svg, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !strings.HasPrefix(string(svg), "<svg") {
			t.Errorf("chart %s: %v", name, err)
		}
	}
}
