package mongodb

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/devstack"
)

// BenchmarkFeedFanOut measures the SPEC's "one feed per server process
// fanned out in memory — never one database poll per subscriber" on the
// embedded store, with feedBenchOrders orders stored. For 1, 10 and 100
// subscribers following order changes it runs, in this order:
//
//	feed=per-subscriber  the baseline: one Feed (change-log reader) per subscriber
//	feed=shared          the design: one Feed, every subscriber on it
//
// Each iteration applies one event to an order (through its own client) and
// waits until every subscriber has been told. Both report, averaged over at
// least fanOutMinChanges such changes where time allows (ns/op covers only
// the b.N that the framework chose; the others cover every change):
//
//	latency-ns   from the write to the last subscriber told
//	queries/change  commands the feeds sent to the store per change delivered
//	queries/s    the same per second
//	cpu-cores    CPU used by the store and the test process, per second
//	write-ns     how long the write itself took (the feeds compete with it)
//
// and feed=shared adds each as a ratio, baseline ÷ shared (above 1: the
// shared feed costs less): latency-ratio, queries-ratio (per change),
// cpu-ratio, write-ratio. It runs its own store, so the CPU it reads is this
// benchmark's alone.
//
//	go test -run '^$' -bench FeedFanOut ./mongodb/
func BenchmarkFeedFanOut(b *testing.B) {
	store := privateStore(b)
	for _, n := range []int{1, 10, 100} {
		var baseline *fanOutResult
		for _, mode := range []string{"per-subscriber", "shared"} {
			b.Run(fmt.Sprintf("subscribers=%d/feed=%s", n, mode), func(b *testing.B) {
				r := benchFanOut(b, store, n, mode == "shared")
				r.report(b)
				switch {
				case mode == "per-subscriber":
					baseline = r
				case baseline == nil:
					b.Log("no ratios: the per-subscriber baseline did not run (see -bench)")
				default:
					b.ReportMetric(baseline.queriesPerChange/r.queriesPerChange, "queries-ratio")
					if r.cpuCores > 0 {
						b.ReportMetric(baseline.cpuCores/r.cpuCores, "cpu-ratio")
					}
					b.ReportMetric(float64(baseline.latency)/float64(r.latency), "latency-ratio")
					b.ReportMetric(float64(baseline.write)/float64(r.write), "write-ratio")
				}
			})
		}
	}
}

// feedBenchOrders is how many orders the store holds besides the one that
// changes: a small shop's history. The embedded store scans them all on
// every poll.
const feedBenchOrders = 100

// fanOutTimeout bounds the wait for one change to reach every subscriber.
const fanOutTimeout = time.Minute

// The least number of changes the reported figures average, unless they
// would take longer than fanOutMinTime.
const (
	fanOutMinChanges = 12
	fanOutMinTime    = 10 * time.Second
)

type fanOutResult struct {
	latency, write   time.Duration // per iteration
	queriesPerChange float64
	queriesPerSec    float64
	cpuCores         float64 // 0 when unknown
}

func (r *fanOutResult) report(b *testing.B) {
	b.ReportMetric(float64(r.latency.Nanoseconds()), "latency-ns")
	b.ReportMetric(r.queriesPerChange, "queries/change")
	b.ReportMetric(r.queriesPerSec, "queries/s")
	if r.cpuCores > 0 {
		b.ReportMetric(r.cpuCores, "cpu-cores")
	}
	b.ReportMetric(float64(r.write.Nanoseconds()), "write-ns")
}

// benchFanOut runs b.N changes past n subscribers, on one shared feed or on
// a feed each.
func benchFanOut(b *testing.B, store *devstack.Store, n int, shared bool) *fanOutResult {
	ctx, cancel := context.WithCancel(b.Context())
	defer cancel()
	name := devstack.TestDatabase(b)
	quiet := slog.New(slog.DiscardHandler)

	// The writer has its own client, so that only the feeds' commands count.
	writer, err := Open(ctx, store.URI, name, quiet)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx := context.WithoutCancel(ctx)
		_ = writer.db.Drop(ctx)
		_ = writer.Close(ctx)
	})
	if err := writer.EnsureIndexes(ctx); err != nil {
		b.Fatal(err)
	}
	fillFeedBench(b, writer, feedBenchOrders)
	settle(ctx, b, writer)
	orders := NewOrderService(writer)
	live := createOrder(b, orders, "cus_live", "")

	var queries atomic.Int64
	opts := clientOptions(store.URI).SetMonitor(&event.CommandMonitor{
		Started: func(context.Context, *event.CommandStartedEvent) { queries.Add(1) },
	})
	reader, err := connect(ctx, opts, name, quiet)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = reader.Close(context.WithoutCancel(ctx)) })

	feeds := 1
	if !shared {
		feeds = n
	}
	var running sync.WaitGroup
	defer running.Wait() // after cancel: every feed has stopped
	defer cancel()
	subs := make([]<-chan orderly.Change, 0, n)
	for range feeds {
		f := NewFeed(reader, FeedOptions{})
		running.Go(func() {
			if err := f.Run(ctx); err != nil {
				b.Errorf("feed: %v", err)
			}
		})
		for range n / feeds {
			subs = append(subs, f.Subscribe(ctx, nil))
		}
	}
	seen := make([]atomic.Int64, n)
	dropped := make(chan int, n)
	for i, ch := range subs {
		running.Go(func() {
			for c := range ch {
				if c.Kind == orderly.ChangeOrder && c.ID == live.ID {
					seen[i].Store(int64(c.Version))
				}
			}
			if ctx.Err() == nil {
				dropped <- i
			}
		})
	}
	// Let every feed start its loop with its subscribers in place.
	time.Sleep(2 * DefaultPollInterval)

	startCPU := cpuTime(store.Pid())
	startQueries := queries.Load()
	var write time.Duration
	changes := 0
	change := func() {
		start := time.Now()
		e := orderly.OrderEvent{ID: fmt.Sprint("bench-", changes), Kind: orderly.EntryInfo}
		o, err := orders.ApplyOrderEvent(ctx, live.ID, e)
		if err != nil {
			b.Fatal(err)
		}
		write += time.Since(start)
		waitSeen(b, seen, dropped, int64(o.Version))
		changes++
	}
	start := time.Now()
	b.ResetTimer()
	for range b.N {
		change()
	}
	b.StopTimer()
	// A change waits for the feed's next poll, so single latencies vary
	// with the moment of the write: the figures below average at least
	// fanOutMinChanges, time allowing, whatever b.N is.
	for changes < fanOutMinChanges && time.Since(start) < fanOutMinTime {
		change()
	}
	elapsed := time.Since(start)

	sent := float64(queries.Load() - startQueries)
	r := &fanOutResult{
		latency:          elapsed / time.Duration(changes),
		write:            write / time.Duration(changes),
		queriesPerChange: sent / float64(changes),
		queriesPerSec:    sent / elapsed.Seconds(),
	}
	if startCPU >= 0 {
		if end := cpuTime(store.Pid()); end >= 0 {
			r.cpuCores = float64(end-startCPU) / float64(elapsed)
		}
	}
	return r
}

// settle waits until the store answers two pings in a row promptly: the
// requests that the feeds of an earlier run left queued at the gate have
// drained, so they do not weigh on this run.
func settle(ctx context.Context, b *testing.B, db *DB) {
	b.Helper()
	deadline := time.Now().Add(fanOutTimeout)
	for prompt := 0; prompt < 2; {
		if time.Now().After(deadline) {
			b.Fatalf("the store is still busy after %s", fanOutTimeout)
		}
		start := time.Now()
		if err := db.Ping(ctx); err != nil {
			b.Fatal(err)
		}
		if time.Since(start) < 20*time.Millisecond {
			prompt++
		} else {
			prompt = 0
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// waitSeen waits until every subscriber has seen version v.
func waitSeen(b *testing.B, seen []atomic.Int64, dropped <-chan int, v int64) {
	deadline := time.Now().Add(fanOutTimeout)
	for i := range seen {
		for seen[i].Load() < v {
			select {
			case d := <-dropped:
				b.Fatalf("subscriber %d was dropped", d)
			default:
			}
			if time.Now().After(deadline) {
				b.Fatalf("subscriber %d saw version %d after %s, want %d", i, seen[i].Load(), fanOutTimeout, v)
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// fillFeedBench stores n delivered orders with a ten-entry timeline, last
// changed an hour ago: history the change log never has to read.
func fillFeedBench(b *testing.B, db *DB, n int) {
	b.Helper()
	old := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	docs := make([]any, 0, n)
	for i := range n {
		o := newOrder(fmt.Sprint("cus_", i%10), fmt.Sprint("hist", i))
		o.ID = fmt.Sprintf("ord_hist%05d", i)
		o.Status, o.Version, o.CreatedAt, o.UpdatedAt = orderly.StatusCompleted, 10, old, old
		for v := 1; v <= 10; v++ {
			o.Timeline = append(o.Timeline, orderly.TimelineEntry{Version: v, EventID: fmt.Sprint("e", v), Kind: orderly.EntryStatus, Status: orderly.StatusCompleted, Detail: "history", At: old})
		}
		docs = append(docs, o)
	}
	if _, err := db.coll(colOrders).InsertMany(context.Background(), docs); err != nil {
		b.Fatal(err)
	}
}

// privateStore starts a devstore for the benchmark alone, so that its CPU
// time is the benchmark's.
func privateStore(b *testing.B) *devstack.Store {
	b.Helper()
	if testing.Short() {
		b.Skip("needs the embedded store")
	}
	root := devstack.TestRoot(b)
	bin, err := devstack.BuildDevstore(b.Context(), root)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir() // removed after the store stops
	s, err := devstack.StartStore(b.Context(), devstack.StoreOptions{Bin: bin, DataDir: dir, Output: devstack.NewOutput(b.Output())})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := s.Stop(); err != nil {
			b.Error(err)
		}
	})
	return s
}

// cpuTime returns the user and system CPU time of the store process plus
// this one, from /proc, or -1 where there is no /proc.
func cpuTime(storePid int) time.Duration {
	var total time.Duration
	for _, pid := range []string{strconv.Itoa(storePid), "self"} {
		data, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			return -1
		}
		// Fields after the command name, which may hold spaces: state is
		// field 3, utime and stime fields 14 and 15, in clock ticks of 1/100 s
		// (USER_HZ on every Linux ABI).
		i := bytes.LastIndexByte(data, ')')
		f := strings.Fields(string(data[i+1:]))
		if i < 0 || len(f) < 13 {
			return -1
		}
		for _, s := range f[11:13] {
			ticks, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return -1
			}
			total += time.Duration(ticks) * 10 * time.Millisecond
		}
	}
	return total
}
