package svgplot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
)

// wellFormed fails t unless svg parses as XML from start to end.
func wellFormed(t *testing.T, svg []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
	}
}

// TestChartSVG draws a log-scale chart with a gap and names needing
// escaping: the output is well-formed, names every series and ticks every x.
func TestChartSVG(t *testing.T) {
	c := Chart{
		Title: "orders/s <by shoppers>", XLabel: "shoppers", YLabel: "orders/s", XScale: Log2,
		Series: []Series{
			{Name: "bare & Temporal", Color: "#555", Points: []Point{{8, 1.3}, {32, 4.27}, {128, 9.5}}},
			{Name: "Orderly", Color: "#2563eb", Dashed: true, Points: []Point{{128, math.NaN()}, {8, 1.07}, {32, 0.72}}},
		},
	}
	svg := c.SVG()
	wellFormed(t, svg)
	s := string(svg)
	for _, want := range []string{"bare &amp; Temporal", "Orderly", "&lt;by shoppers&gt;", ">8<", ">32<", ">128<", "stroke-dasharray"} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if n := strings.Count(s, "<circle"); n != 5 {
		t.Errorf("%d markers, want 5 (the NaN is a gap)", n)
	}
}

// TestChartDegenerate: one point, or nothing but zeros, still draws.
func TestChartDegenerate(t *testing.T) {
	wellFormed(t, Chart{Title: "one", Series: []Series{{Name: "a", Color: "red", Points: []Point{{500, 0}}}}}.SVG())
	wellFormed(t, Chart{Title: "none"}.SVG())
}

func TestNiceCeil(t *testing.T) {
	for v, want := range map[float64]float64{0: 1, 0.72: 1, 1.07: 2, 4.27: 5, 15: 20, 72: 100, 2500: 2500, 2807: 5000} {
		if got := niceCeil(v); got != want {
			t.Errorf("niceCeil(%g) = %g, want %g", v, got, want)
		}
	}
}
