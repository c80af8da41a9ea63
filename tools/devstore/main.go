// Command devstore serves a MongoDB-compatible store for development and
// tests: FerretDB v1.24.2 embedded with its SQLite backend, behind a proxy
// that makes it atomic, indexed and MongoDB-shaped where FerretDB alone is
// not. The application talks to it with the official driver and needs no
// FerretDB-specific code.
//
// Usage:
//
//	devstore -listen 127.0.0.1:27017 -data ./data/store
//
// It prints "devstore: ready mongodb://HOST:PORT/" on stdout once it accepts
// connections, logs to stderr, and stops cleanly on SIGINT or SIGTERM.
//
// # What it adds to FerretDB
//
// The gate (gate.go, turns.go, dockey.go). FerretDB runs an update as a
// read followed by a write with no re-check, so concurrent conditional
// updates oversell. Every command that may write holds a turn from the
// first byte sent to FerretDB to the last byte read; so do the devstore's
// own two-step rewrites and index upkeep. A write that names its one
// document (an insert of one document, a single-statement update, delete or
// findAndModify whose filter pins a string or ObjectId _id) holds that
// document's turn, so writes to different documents run side by side and
// SQLite orders their commits; every other write holds an exclusive turn,
// alone, and a waiting exclusive write keeps new ones out. Reads (find, aggregate without $out or
// $merge, count, distinct, getMore, list*, hello, ping, buildInfo… see
// readOnly) bypass it: SQLite's WAL mode gives each statement a consistent
// snapshot, and FerretDB writes a document back in one statement, so a read
// sees each document either before or after a write, never half of it.
// Commands the devstore does not know stay gated.
//
// The _id index (idindex.go). FerretDB looks documents up by _id with
// WHERE _ferretdb_sjson->'$._id' = ?, but indexes _ferretdb_sjson->"_id",
// which SQLite does not match, so every lookup by _id scanned the table.
// The devstore creates an index on the exact expression on every collection
// table: those present at start-up, and each collection created later
// (insert, update, upsert, findAndModify, create, createIndexes), dropped and
// created again, or renamed. The index is invisible to listIndexes.
//
// Guards served by _id (guard.go, inList.go). FerretDB pushes only a filter
// that is exactly {_id: <string or ObjectId>} into SQL; any other filter
// decodes the whole collection. For these shapes the devstore, holding the
// gate, asks FerretDB first whether the one document with that _id matches
// the whole filter (an aggregate FerretDB serves by index, so FerretDB's
// own matcher decides), then forwards the command with its filter reduced
// to {_id: X}, or, if the guard fails, answers FerretDB's own no-match reply:
//   - update with one statement and multi false, filter {_id: X, …}:
//     no match → {n: 0, nModified: 0, ok: 1};
//   - findAndModify without sort, query {_id: X, …}: no match →
//     {lastErrorObject: {n: 0, updatedExisting: false}, value: null, ok: 1}
//     ({n: 0} alone for remove);
//   - delete with one statement and limit 1: no match → {n: 0, ok: 1};
//   - find without sort or skip, no positional projection: no match →
//     {cursor: {firstBatch: [], id: 0, ns}, ok: 1};
//   - an upsert whose guard fails is forwarded unchanged, so FerretDB
//     inserts, or reports the duplicate _id (E11000), as it always did.
//
// X is a string or an ObjectId; the filter's other top-level keys may be
// fields and $and, $or, $nor. Commands with options the devstore does not
// list (collation, arrayFilters, let, fields…) go to FerretDB
// unchanged. find({_id: {$in: [up to 100 strings or ObjectIds]}}) without
// sort, skip or limit becomes one lookup by _id per distinct value, sent in
// one go holding its turn, answered as one reply with cursor id 0, the
// documents in _id order (strings before ObjectIds), the projection applied
// by FerretDB. Everything else passes through untouched.
//
// Duplicate keys (duplicate.go). An update or findAndModify that breaks a
// unique index gets, from FerretDB, an InternalError carrying SQLite's
// "UNIQUE constraint failed". The devstore returns MongoDB's error instead,
// code 11000, "E11000 duplicate key error collection: db.coll index: name":
// as writeErrors[0] (index 0, n: 0, nModified: 0) for an update with one
// statement, as a command error for findAndModify and for an update with
// several statements (FerretDB does not say which one failed). Inserts and
// upserts that insert already get a proper E11000 from FerretDB.
//
// Counters (stats.go). {devstoreStats: 1}, on any database, is answered by
// the devstore itself: requests, gated requests, rewrites, gate and backend
// time per command name, the _id indexes created and the process's CPU time.
// Benchmarks read it before and after a workload.
//
// Hidden flags, for the tests and benchmarks that show what each addition
// does: -gate=false serves FerretDB bare (none of the above);
// -pushdown=false keeps the gate and the index but no rewrites;
// -id-index=false creates no _id index (the rewrites still run, on scans).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"
)

// Garbage collection pacing of the store process, unless GOGC or GOMEMLIMIT
// say otherwise. FerretDB allocates every document it decodes, and its heap
// is small: collecting at 8× the live heap (within a soft limit of 512 MiB)
// cut the store's CPU per order by about 30 % against Go's default 2× in
// the same run (ApplyOrderEvent with the feed's reads, 40 orders of 25
// events: 512 ms → 351 ms).
const (
	gcPercent   = 800
	memoryLimit = 512 << 20
)

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "devstore:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	dbLog := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.dbLevel}))

	dir, err := dataDir(cfg.data)
	if err != nil {
		return err
	}
	if cfg.pprof != "" {
		stopProfiles, err := serveProfiles(cfg.pprof, log)
		if err != nil {
			return err
		}
		defer stopProfiles()
	}
	st := newStats()
	ids := newIDIndex(dir, cfg.idIndex, cfg.timeout, log.With("component", "id-index"), st)
	if cfg.gate {
		// Before FerretDB opens the databases: nothing else touches them.
		if err := ids.indexAll(ctx); err != nil {
			return err
		}
	}

	// Without the gate FerretDB itself takes the public address.
	backendAddr := "127.0.0.1:0"
	if !cfg.gate {
		backendAddr = cfg.listen
	}
	db, dbAddr, err := newFerretDB(dir, backendAddr, dbLog.With("component", "ferretdb"))
	if err != nil {
		return err
	}
	dbCtx, stopDB := context.WithCancel(context.WithoutCancel(ctx))
	dbDone := make(chan struct{})
	go func() {
		defer close(dbDone)
		_ = db.Run(dbCtx) // only returns once dbCtx is done
	}()
	defer func() {
		stopDB()
		select {
		case <-dbDone:
		case <-time.After(cfg.timeout):
			log.Warn("ferretdb did not stop in time")
		}
	}()

	if !cfg.gate {
		log.Warn("gate disabled: concurrent updates are not atomic")
		fmt.Fprintf(stdout, "devstore: ready mongodb://%s/\n", dbAddr)
		<-ctx.Done()
		return nil
	}

	ln, err := listen(cfg.listen)
	if err != nil {
		return err
	}
	served := make(chan error, 1)
	g := newGate(dbAddr, gateOptions{timeout: cfg.timeout, log: log.With("component", "gate"),
		ids: ids, pushdown: cfg.pushdown, stats: st})
	go func() { served <- g.serve(ctx, ln) }()
	fmt.Fprintf(stdout, "devstore: ready mongodb://%s/\n", ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "data", cfg.data)

	err = <-served
	log.Info("stopped")
	return err
}
