// Package svgplot draws the benchmark report's line charts as small,
// self-contained SVG files with the standard library alone: a chart is a
// handful of lines, markers, ticks and a legend, which needs no plotting
// dependency.
package svgplot

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Scale maps data to the x axis.
type Scale int

// Scales of the x axis.
const (
	// Linear spaces x values by their difference.
	Linear Scale = iota
	// Log2 spaces them by their ratio (shoppers 8, 32, 128 come out evenly
	// spaced); every x must be positive.
	Log2
)

// Point is one data point; a NaN Y is a gap (no measurement).
type Point struct{ X, Y float64 }

// Series is one line of a chart.
type Series struct {
	Name   string
	Color  string // any SVG colour
	Dashed bool
	Points []Point
}

// Chart is one line chart. Ticks on the x axis sit at the data's x values,
// which are few (the benchmark's points); the y axis starts at zero.
type Chart struct {
	Title  string
	XLabel string
	YLabel string
	XScale Scale
	Series []Series
}

// Geometry of every chart, in SVG user units.
const (
	width, height              = 640.0, 360.0
	left, right, top, bottom   = 70.0, 20.0, 40.0, 50.0
	plotWidth, plotHeight      = width - left - right, height - top - bottom
	legendRow, legendLineWidth = 16.0, 22.0
)

// SVG renders the chart.
func (c Chart) SVG() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%g" height="%g" fill="white"/>`+"\n", width, height)
	text(&b, width/2, 22, "middle", `font-size="15" font-weight="bold"`, c.Title)

	xs := c.xValues()
	ymax := niceCeil(c.yMax())
	xpos := c.xMapper(xs)
	ypos := func(y float64) float64 { return top + plotHeight - y/ymax*plotHeight }

	// Grid and y ticks.
	step := ymax / 5
	for i := 0; i <= 5; i++ {
		y := float64(i) * step
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#e5e7eb"/>`+"\n", left, ypos(y), left+plotWidth, ypos(y))
		text(&b, left-6, ypos(y)+4, "end", "", formatTick(y))
	}
	// Axes and x ticks.
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#374151"/>`+"\n", left, top+plotHeight, left+plotWidth, top+plotHeight)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#374151"/>`+"\n", left, top, left, top+plotHeight)
	for _, x := range xs {
		px := xpos(x)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#374151"/>`+"\n", px, top+plotHeight, px, top+plotHeight+5)
		text(&b, px, top+plotHeight+18, "middle", "", formatTick(x))
	}
	text(&b, left+plotWidth/2, height-10, "middle", "", c.XLabel)
	fmt.Fprintf(&b, `<text x="16" y="%g" text-anchor="middle" transform="rotate(-90 16 %g)">%s</text>`+"\n", top+plotHeight/2, top+plotHeight/2, escape(c.YLabel))

	// Lines and markers.
	for _, s := range c.Series {
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		var path bytes.Buffer
		pen := "M"
		for _, p := range sortedPoints(s.Points) {
			if math.IsNaN(p.Y) || math.IsInf(p.Y, 0) {
				pen = "M"
				continue
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", pen, xpos(p.X), ypos(p.Y))
			pen = "L"
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`+"\n", xpos(p.X), ypos(p.Y), escape(s.Color))
		}
		if path.Len() > 0 {
			fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", bytes.TrimSpace(path.Bytes()), escape(s.Color), dash)
		}
	}

	// Legend, top left inside the plot.
	for i, s := range c.Series {
		y := top + 12 + float64(i)*legendRow
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="2"%s/>`+"\n", left+10, y, left+10+legendLineWidth, y, escape(s.Color), dash)
		text(&b, left+16+legendLineWidth, y+4, "start", "", s.Name)
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// xValues returns the distinct x values of all series, sorted.
func (c Chart) xValues() []float64 {
	var xs []float64
	for _, s := range c.Series {
		for _, p := range s.Points {
			if !slices.Contains(xs, p.X) {
				xs = append(xs, p.X)
			}
		}
	}
	slices.Sort(xs)
	return xs
}

func (c Chart) yMax() float64 {
	m := 0.0
	for _, s := range c.Series {
		for _, p := range s.Points {
			if !math.IsNaN(p.Y) && !math.IsInf(p.Y, 0) {
				m = max(m, p.Y)
			}
		}
	}
	return m
}

// xMapper returns the function placing x on the plot, with a margin so that
// the first and last points do not sit on the frame.
func (c Chart) xMapper(xs []float64) func(float64) float64 {
	f := func(x float64) float64 { return x }
	if c.XScale == Log2 {
		f = func(x float64) float64 { return math.Log2(math.Max(x, 1e-9)) }
	}
	if len(xs) < 2 {
		return func(float64) float64 { return left + plotWidth/2 }
	}
	lo, hi := f(xs[0]), f(xs[len(xs)-1])
	margin := plotWidth * 0.06
	return func(x float64) float64 { return left + margin + (f(x)-lo)/(hi-lo)*(plotWidth-2*margin) }
}

func sortedPoints(ps []Point) []Point {
	out := slices.Clone(ps)
	slices.SortFunc(out, func(a, b Point) int {
		switch {
		case a.X < b.X:
			return -1
		case a.X > b.X:
			return 1
		}
		return 0
	})
	return out
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten, so that the five
// y steps are round numbers; a chart of zeros gets an axis up to 1.
func niceCeil(v float64) float64 {
	if v <= 0 || math.IsNaN(v) {
		return 1
	}
	exp := math.Floor(math.Log10(v))
	base := math.Pow(10, exp)
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if v <= m*base*(1+1e-9) {
			return m * base
		}
	}
	return 10 * base
}

// formatTick writes a tick value without float noise: 1.5, 2000, 0.25.
func formatTick(v float64) string {
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}

func text(b *bytes.Buffer, x, y float64, anchor, attrs, s string) {
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="%s" %s>%s</text>`+"\n", x, y, anchor, attrs, escape(s))
}

func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
