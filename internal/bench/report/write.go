package report

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/orderly-shop/orderly/internal/bench/svgplot"
)

// File names of a report directory.
const (
	FileMarkdown            = "latest.md"
	FileJSON                = "latest.json"
	ChartThroughputShoppers = "throughput-vs-shoppers.svg"
	ChartLatencyShoppers    = "latency-vs-shoppers.svg"
	ChartThroughputStored   = "throughput-vs-stored.svg"
	ChartLatencyStored      = "latency-vs-stored.svg"
	ChartFanOut             = "fanout-latency.svg"
)

// Colours: Orderly blue, the baseline grey.
const (
	colourOrderly = "#2563eb"
	colourBare    = "#6b7280"
)

// Write writes the report into dir (created if needed): the Markdown, the
// JSON and every chart, and returns the Markdown's path.
func Write(dir string, r *Report) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	files := map[string][]byte{
		FileJSON:     append(js, '\n'),
		FileMarkdown: []byte(r.Markdown()),
	}
	for name, c := range r.Charts() {
		files[name] = c.SVG()
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return "", fmt.Errorf("report: %w", err)
		}
	}
	return filepath.Join(dir, FileMarkdown), nil
}

// Charts returns the report's charts by file name.
func (r *Report) Charts() map[string]svgplot.Chart {
	fresh := r.series(func(p Point) bool { return p.Stored == 0 }, func(p Point) int { return p.Shoppers })
	stored := r.series(func(p Point) bool { return p.Shoppers == r.Settings.StoredShoppers }, func(p Point) int { return p.Stored })
	byShoppers := func(p Point) float64 { return float64(p.Shoppers) }
	byStored := func(p Point) float64 { return float64(p.Stored) }
	charts := map[string]svgplot.Chart{
		ChartThroughputShoppers: throughputChart("Orders per second by shoppers (fresh store)", "shoppers", svgplot.Log2, fresh, byShoppers),
		ChartLatencyShoppers:    latencyChart("placeOrder → COMPLETED by shoppers (fresh store)", "shoppers", svgplot.Log2, fresh, byShoppers),
		ChartThroughputStored: throughputChart(fmt.Sprintf("Orders per second by orders stored (%d shoppers)", r.Settings.StoredShoppers),
			"orders already stored", svgplot.Linear, stored, byStored),
		ChartLatencyStored: latencyChart(fmt.Sprintf("placeOrder → COMPLETED by orders stored (%d shoppers)", r.Settings.StoredShoppers),
			"orders already stored", svgplot.Linear, stored, byStored),
	}
	var p50, p99 []svgplot.Point
	for _, f := range r.FanOut {
		p50 = append(p50, svgplot.Point{X: float64(f.Subscribers), Y: gap(f.Latency.P50, f.Latency.Count)})
		p99 = append(p99, svgplot.Point{X: float64(f.Subscribers), Y: gap(f.Latency.P99, f.Latency.Count)})
	}
	charts[ChartFanOut] = svgplot.Chart{
		Title: "Delivery latency by subscribers on one order", XLabel: "subscribers", YLabel: "seconds", XScale: svgplot.Log2,
		Series: []svgplot.Series{
			{Name: "p50", Color: colourOrderly, Points: p50},
			{Name: "p99", Color: colourOrderly, Dashed: true, Points: p99},
		},
	}
	return charts
}

func throughputChart(title, xlabel string, scale svgplot.Scale, points []Point, x func(Point) float64) svgplot.Chart {
	var bare, orderly []svgplot.Point
	for _, p := range points {
		bare = append(bare, svgplot.Point{X: x(p), Y: p.Bare.OrdersPerSecond})
		orderly = append(orderly, svgplot.Point{X: x(p), Y: p.Orderly.OrdersPerSecond})
	}
	return svgplot.Chart{Title: title, XLabel: xlabel, YLabel: "orders/s", XScale: scale, Series: []svgplot.Series{
		{Name: "bare Temporal", Color: colourBare, Points: bare},
		{Name: "Orderly", Color: colourOrderly, Points: orderly},
	}}
}

func latencyChart(title, xlabel string, scale svgplot.Scale, points []Point, x func(Point) float64) svgplot.Chart {
	var s [4][]svgplot.Point
	for _, p := range points {
		s[0] = append(s[0], svgplot.Point{X: x(p), Y: gap(p.Bare.Latency.P50, p.Bare.Latency.Count)})
		s[1] = append(s[1], svgplot.Point{X: x(p), Y: gap(p.Bare.Latency.P99, p.Bare.Latency.Count)})
		s[2] = append(s[2], svgplot.Point{X: x(p), Y: gap(p.Orderly.Latency.P50, p.Orderly.Latency.Count)})
		s[3] = append(s[3], svgplot.Point{X: x(p), Y: gap(p.Orderly.Latency.P99, p.Orderly.Latency.Count)})
	}
	return svgplot.Chart{Title: title, XLabel: xlabel, YLabel: "seconds", XScale: scale, Series: []svgplot.Series{
		{Name: "bare p50", Color: colourBare, Points: s[0]},
		{Name: "bare p99", Color: colourBare, Dashed: true, Points: s[1]},
		{Name: "Orderly p50", Color: colourOrderly, Points: s[2]},
		{Name: "Orderly p99", Color: colourOrderly, Dashed: true, Points: s[3]},
	}}
}

// gap turns a latency of no samples into a gap in the line rather than a
// misleading zero.
func gap(v float64, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return v
}
