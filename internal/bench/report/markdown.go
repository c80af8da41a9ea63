package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Markdown renders the report for people; charts are linked by file name,
// next to the Markdown file (see Write).
func (r *Report) Markdown() string {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "# Orderly benchmark report\n\n")
	fmt.Fprintf(&b, "Run %s, %s, on %d CPUs (%s/%s, %s)", r.StartedAt.UTC().Format("2006-01-02 15:04 MST"),
		fmtDuration(r.DurationSeconds), m.CPUs, m.OS, m.Arch, m.GoVersion)
	if m.Commit != "" {
		fmt.Fprintf(&b, ", commit `%s`", m.Commit)
	}
	fmt.Fprintf(&b, "; load average %.2f at the start, %.2f at the end (1 min).\n", m.LoadStart[0], m.LoadEnd[0])
	b.WriteString("Every figure was measured in this run on this machine. A ratio compares Orderly with a baseline " +
		"measured beside it (same machine, same run, same Temporal dev server), so it holds up better than the " +
		"absolute figures when other work shares the machine.\n\n")
	s := r.Settings
	fmt.Fprintf(&b, "Each end-to-end point: a warm-up of at least %s (until every client has finished an order, at most %s), "+
		"then a window of %s. Shipping: %d tracking updates %s apart, for both programs.\n\n",
		fmtDuration(s.WarmupSeconds), fmtDuration(s.WarmupMaxSeconds), fmtDuration(s.WindowSeconds),
		s.TrackingUpdates, fmtDuration(s.TrackingIntervalSecs))

	if len(r.EndToEnd) > 0 {
		r.endToEnd(&b)
	}
	if r.Catalog != nil {
		r.catalog(&b)
	}
	if len(r.FanOut) > 0 {
		r.fanOut(&b)
	}
	if len(r.Notes) > 0 {
		b.WriteString("## Notes\n\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (r *Report) endToEnd(b *strings.Builder) {
	b.WriteString("## End to end: Orderly vs bare Temporal\n\n")
	b.WriteString("N shoppers, each with its own account, loop: `addToCart` → `placeOrder` (a new idempotency key) → " +
		"follow `orderUpdated(id)` over graphql-transport-ws until the order ends; then again. Beside it, on the same " +
		"Temporal dev server, N starters loop over a bare Temporal program of the same shape (the same order " +
		"activities, the shipping child on its own queue with its durable timers, the authorization's renewal timer, " +
		"the version markers, the signal-with-start of a per-customer rewards workflow, the return window; see the " +
		"shape check below), every activity a no-op: what Temporal alone allows. " +
		"Latency is placeOrder→COMPLETED (bare: start→result).\n\n")

	fresh := r.series(func(p Point) bool { return p.Stored == 0 }, func(p Point) int { return p.Shoppers })
	stored := r.series(func(p Point) bool { return p.Shoppers == r.Settings.StoredShoppers }, func(p Point) int { return p.Stored })
	if len(fresh) > 0 {
		b.WriteString("### By shoppers, fresh store\n\n")
		r.throughputTable(b, fresh, false)
		b.WriteString("![Throughput by shoppers](" + ChartThroughputShoppers + ") ![Latency by shoppers](" + ChartLatencyShoppers + ")\n\n")
	}
	if len(stored) > 1 || (len(stored) == 1 && stored[0].Stored > 0) {
		fmt.Fprintf(b, "### By orders already stored, %d shoppers\n\n", r.Settings.StoredShoppers)
		b.WriteString("Stored orders are copies of a real completed order of the same run (every document it left, " +
			"with new IDs and older timestamps), made before the warm-up. *vs fresh* is Orderly's throughput over its " +
			"own with nothing stored.\n\n")
		r.throughputTable(b, stored, true)
		b.WriteString("![Throughput by stored orders](" + ChartThroughputStored + ") ![Latency by stored orders](" + ChartLatencyStored + ")\n\n")
	}
	b.WriteString("### Cost per completed order\n\n")
	b.WriteString("CPU seconds per completed order by process (from /proc), and the store's requests per order " +
		"(its own counters); *cores* is CPU seconds per second of window: store / Temporal / server / worker.\n\n")
	b.WriteString("| shoppers | stored | store requests | store CPU | Temporal CPU bare / Orderly | server CPU | worker CPU bare / Orderly | Orderly cores | bare cores (Temporal / worker) |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, p := range r.EndToEnd {
		o, bare := p.Orderly, p.Bare
		req := "–"
		switch {
		case o.Store != nil && o.Completed > 0:
			req = fmt.Sprintf("%.0f", o.Store.RequestsPerOrder)
		case o.Store != nil:
			req = fmt.Sprintf("– (%.0f in the window)", o.Store.Requests)
		}
		fmt.Fprintf(b, "| %d | %d | %s | %s | %s / %s | %s | %s / %s | %s / %s / %s / %s | %s / %s |\n",
			p.Shoppers, p.Stored, req,
			cpu(o, "store"), cpu(bare, "temporal"), cpu(o, "temporal"), cpu(o, "server"),
			cpu(bare, "bareWorker"), cpu(o, "worker"),
			cores(o, "store"), cores(o, "temporal"), cores(o, "server"), cores(o, "worker"),
			cores(bare, "temporal"), cores(bare, "bareWorker"))
	}
	b.WriteString("\n")
	if busiest := r.busiestStoreCommands(); busiest != "" {
		b.WriteString(busiest)
	}
	r.storeTime(b)
	if r.Shape != nil {
		r.shape(b)
	}
}

// series picks the points of one series, sorted by key.
func (r *Report) series(in func(Point) bool, key func(Point) int) []Point {
	var out []Point
	for _, p := range r.EndToEnd {
		if in(p) {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b Point) int { return cmp.Compare(key(a), key(b)) })
	return out
}

func (r *Report) throughputTable(b *strings.Builder, points []Point, vsFresh bool) {
	head := "| shoppers | stored | bare orders/s | Orderly orders/s | **Orderly / bare** |"
	sep := "|---:|---:|---:|---:|---:|"
	if vsFresh {
		head += " vs fresh |"
		sep += "---:|"
	}
	b.WriteString(head + " bare p50 / p99 | Orderly p50 / p99 | **p99 ratio** | Orderly completed / failed / cancelled / errors |\n")
	b.WriteString(sep + "---:|---:|---:|---:|\n")
	var fresh float64
	for _, p := range points {
		if p.Stored == 0 {
			fresh = p.Orderly.OrdersPerSecond
		}
	}
	for _, p := range points {
		o, bare := p.Orderly, p.Bare
		fmt.Fprintf(b, "| %d | %d | %s | %s | **%s** |", p.Shoppers, p.Stored,
			fmtRate(bare.OrdersPerSecond), fmtRate(o.OrdersPerSecond), fmtRatio(p.ThroughputRatio, bare.Completed > 0))
		if vsFresh {
			fmt.Fprintf(b, " %s |", fmtRatio(Ratio(o.OrdersPerSecond, fresh), fresh > 0))
		}
		fmt.Fprintf(b, " %s / %s | %s / %s | **%s** | %d / %d / %d / %d |\n",
			fmtSeconds(bare.Latency.P50), fmtSeconds(bare.Latency.P99),
			fmtSeconds(o.Latency.P50), fmtSeconds(o.Latency.P99),
			fmtRatio(p.P99Ratio, bare.Latency.Count > 0 && o.Latency.Count > 0),
			o.Completed, o.Failed, o.Cancelled, o.Errors)
	}
	b.WriteString("\n")
}

// busiestStoreCommands lists, for the point with the most store requests per
// order, the commands that make them up.
func (r *Report) busiestStoreCommands() string {
	var worst *Point
	for i, p := range r.EndToEnd {
		if p.Orderly.Store != nil && p.Orderly.Completed > 0 && (worst == nil || p.Orderly.Store.RequestsPerOrder > worst.Orderly.Store.RequestsPerOrder) {
			worst = &r.EndToEnd[i]
		}
	}
	if worst == nil || len(worst.Orderly.Store.PerOrder) == 0 {
		return ""
	}
	st := worst.Orderly.Store
	names := slices.SortedFunc(maps.Keys(st.PerOrder), func(a, b string) int { return cmp.Compare(st.PerOrder[b], st.PerOrder[a]) })
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s %.1f", n, st.PerOrder[n]))
	}
	return fmt.Sprintf("Store requests per order at %d shoppers, %d stored (source: `%s`): %s.\n\n",
		worst.Shoppers, worst.Stored, st.Source, strings.Join(parts, ", "))
}

// storeTimes are the devstoreStats timings shown per order, by field.
var storeTimes = []struct{ field, title string }{
	{"commands.*.gateWaitNanos", "waiting for the gate"},
	{"commands.*.gateHeldNanos", "holding the gate"},
	{"commands.*.backendNanos", "in FerretDB"},
}

// storeTime shows where the store's time per order went, when the devstore
// said (devstoreStats).
func (r *Report) storeTime(b *strings.Builder) {
	found := false
	for _, p := range r.EndToEnd {
		if st := p.Orderly.Store; st != nil && st.Fields[storeTimes[0].field] != 0 {
			found = true
		}
	}
	if !found {
		return
	}
	b.WriteString("Store time per completed order (devstoreStats, summed over requests, so it can exceed the window):\n\n| shoppers | stored |")
	for _, t := range storeTimes {
		b.WriteString(" " + t.title + " |")
	}
	b.WriteString("\n|---:|---:|" + strings.Repeat("---:|", len(storeTimes)) + "\n")
	for _, p := range r.EndToEnd {
		st := p.Orderly.Store
		if st == nil || p.Orderly.Completed == 0 {
			continue
		}
		fmt.Fprintf(b, "| %d | %d |", p.Shoppers, p.Stored)
		for _, t := range storeTimes {
			fmt.Fprintf(b, " %s |", fmtSeconds(st.Fields[t.field]/1e9/float64(p.Orderly.Completed)))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

func (r *Report) shape(b *strings.Builder) {
	b.WriteString("### Shape check\n\n")
	b.WriteString("History events of one completed order of each program, by type (order workflow + shipping child). " +
		"The bare program is only a fair ceiling while these match; workflow task counts may differ by one or two, " +
		"since events that arrive together share a task.\n\n")
	types := map[string]bool{}
	for _, h := range []HistoryShape{r.Shape.Orderly, r.Shape.Bare} {
		for t := range h.Order {
			types[t] = true
		}
		for t := range h.Shipping {
			types[t] = true
		}
	}
	b.WriteString("| event type | Orderly order + shipping | bare order + shipping |\n|---|---:|---:|\n")
	var to, tb int
	for _, t := range slices.Sorted(maps.Keys(types)) {
		o := r.Shape.Orderly.Order[t] + r.Shape.Orderly.Shipping[t]
		bb := r.Shape.Bare.Order[t] + r.Shape.Bare.Shipping[t]
		to, tb = to+o, tb+bb
		mark := ""
		if o != bb {
			mark = " ≠"
		}
		fmt.Fprintf(b, "| %s%s | %d + %d | %d + %d |\n", t, mark, r.Shape.Orderly.Order[t], r.Shape.Orderly.Shipping[t],
			r.Shape.Bare.Order[t], r.Shape.Bare.Shipping[t])
	}
	fmt.Fprintf(b, "| **total** | **%d** | **%d** |\n\n", to, tb)
}

func (r *Report) catalog(b *strings.Builder) {
	c := r.Catalog
	b.WriteString("## Catalog read\n\n")
	fmt.Fprintf(b, "`products(first: 20)` with the web app's fields, %d concurrent clients over HTTP for %s each: the real server "+
		"on the embedded store, and the same `graph` handler over an in-memory catalog in the benchmark's process "+
		"(no store, no server middleware), taking turns.\n\n", c.Clients, fmtDuration(c.WindowSeconds))
	b.WriteString("| | requests/s | p50 | p99 | errors |\n|---|---:|---:|---:|---:|\n")
	fmt.Fprintf(b, "| server on the store | %s | %s | %s | %d |\n", fmtRate(c.Server.RequestsPerSecond),
		fmtSeconds(c.Server.Latency.P50), fmtSeconds(c.Server.Latency.P99), c.Server.Errors)
	fmt.Fprintf(b, "| handler over memory | %s | %s | %s | %d |\n", fmtRate(c.Memory.RequestsPerSecond),
		fmtSeconds(c.Memory.Latency.P50), fmtSeconds(c.Memory.Latency.P99), c.Memory.Errors)
	fmt.Fprintf(b, "| **server / memory** | **%s** | %s | | |\n\n", fmtRatio(c.Ratio, c.Memory.Requests > 0),
		fmtRatio(Ratio(c.Server.Latency.P50, c.Memory.Latency.P50), c.Memory.Latency.Count > 0))
	if c.Server.Requests > 0 && c.Memory.Requests > 0 {
		// CPU per request holds up when other work on the machine starves one
		// side more than the other.
		perRequest := func(t Throughput, roles ...string) float64 {
			sec := 0.0
			for _, r := range roles {
				sec += t.Processes[r].CPUSeconds
			}
			return sec / float64(t.Requests)
		}
		fmt.Fprintf(b, "CPU per request: server %s + store %s + clients %s on the real side; handler and clients %s in memory.",
			fmtSeconds(perRequest(c.Server, "server")), fmtSeconds(perRequest(c.Server, "store")),
			fmtSeconds(perRequest(c.Server, "harness")), fmtSeconds(perRequest(c.Memory, "harness")))
		if st := c.Server.Store; st != nil {
			fmt.Fprintf(b, " Store requests per catalog request: %.2f.", st.Requests/float64(c.Server.Requests))
		}
		b.WriteString("\n\n")
	}
}

func (r *Report) fanOut(b *strings.Builder) {
	b.WriteString("## Subscription fan-out\n\n")
	b.WriteString("N subscribers, each on its own websocket as N browsers would be, follow one order with `orderUpdated`; " +
		"an operator approves it and its workflow makes the changes. Delivery latency is from each timeline entry's " +
		"`at` to its receipt (one clock: same machine); memory is the server's RSS growth over the subscribers.\n\n")
	b.WriteString("| subscribers | changes | delivered / expected | subscribers with a lost, repeated or reordered entry | p50 | p99 | max | server memory per subscriber | store requests per change | server / store cores |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, f := range r.FanOut {
		fmt.Fprintf(b, "| %d | %d | %d / %d | %d | %s | %s | %s | %s | %.0f | %.2f / %.2f |\n",
			f.Subscribers, f.Changes, f.Delivered, f.Expected, f.Violations,
			fmtSeconds(f.Latency.P50), fmtSeconds(f.Latency.P99), fmtSeconds(f.Latency.Max),
			fmtBytes(f.BytesPerSubscriber), f.RequestsPerChange, f.Processes["server"].Cores, f.Processes["store"].Cores)
	}
	b.WriteString("\n![Delivery latency by subscribers](" + ChartFanOut + ")\n\n")
}

func cpu(r Run, role string) string {
	p, ok := r.Processes[role]
	if !ok || r.Completed == 0 {
		return "–"
	}
	return fmtSeconds(p.CPUPerOrder)
}

func cores(r Run, role string) string {
	p, ok := r.Processes[role]
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.2f", p.Cores)
}

func fmtRate(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 0.1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3f", v)
}

func fmtRatio(v float64, ok bool) string {
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.2f×", v)
}

func fmtSeconds(s float64) string {
	switch {
	case s <= 0:
		return "–"
	case s < 0.001:
		return fmt.Sprintf("%.0f µs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.0f ms", s*1e3)
	case s < 10:
		return fmt.Sprintf("%.2f s", s)
	}
	return fmt.Sprintf("%.1f s", s)
}

func fmtDuration(s float64) string {
	return (time.Duration(s * float64(time.Second))).Round(time.Second / 10).String()
}

func fmtBytes(n float64) string {
	switch {
	case n <= 0:
		return "–"
	case n < 1<<20:
		return fmt.Sprintf("%.0f KB", n/1024)
	}
	return fmt.Sprintf("%.1f MB", n/(1<<20))
}
