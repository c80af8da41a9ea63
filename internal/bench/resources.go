package bench

import (
	"context"
	"time"

	"github.com/orderly-shop/orderly/internal/bench/procstat"
	"github.com/orderly-shop/orderly/internal/bench/report"
	"github.com/orderly-shop/orderly/internal/bench/storestats"
)

// usage is what the processes of a stack had used at one moment.
type usage struct {
	procs map[string]procstat.Sample
	store *storestats.Snapshot
}

// meter samples a stack's processes (by role) and, if it has one, its
// store's counters.
type meter struct {
	h     *harness
	pids  map[string]int
	stats *storestats.Reader
}

func (m meter) sample(ctx context.Context) usage {
	u := usage{procs: map[string]procstat.Sample{}}
	for role, pid := range m.pids {
		s, err := procstat.Read(pid)
		if err != nil {
			m.h.note("no CPU figures for the %s process: %v", role, err)
			continue
		}
		u.procs[role] = s
	}
	if m.stats != nil {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		s, err := m.stats.Read(sctx)
		if err != nil {
			m.h.note("no store request counts: %v", err)
		} else {
			u.store = &s
		}
	}
	return u
}

// costs charges each process for what it used from before to after, per
// order (orders > 0) and per second of window.
func costs(before, after usage, orders int, window time.Duration) (map[string]report.Process, *report.StoreCost) {
	procs := map[string]report.Process{}
	for role, a := range after.procs {
		b, ok := before.procs[role]
		if !ok {
			continue
		}
		sec := (a.CPU - b.CPU).Seconds()
		procs[role] = report.Process{
			CPUSeconds: sec, CPUPerOrder: report.Ratio(sec, float64(orders)),
			Cores: report.Ratio(sec, window.Seconds()), RSSBytes: a.RSS,
		}
	}
	if before.store == nil || after.store == nil {
		return procs, nil
	}
	d := after.store.Sub(*before.store)
	sc := &report.StoreCost{Source: d.Source, Requests: d.Requests, RequestsPerOrder: report.Ratio(d.Requests, float64(orders)),
		PerOrder: map[string]float64{}, Fields: d.Fields}
	for name, n := range d.ByCommand {
		sc.PerOrder[name] = report.Ratio(n, float64(orders))
	}
	return procs, sc
}
