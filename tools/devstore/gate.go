package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"
)

// gate is a TCP proxy in front of FerretDB that admits, across all client
// connections, one writing request at a time per document.
//
// FerretDB runs an update as a read followed by a write by _id, with no
// re-check in between (FerretDB issue #3040), so two concurrent conditional
// updates can both pass their filter: stock is oversold and upserted counters
// lose increments. Serializing whole requests makes each one atomic against
// every other, whichever process sent it. A write that names its one
// document (docKey: an insert of one document, a single-statement write
// whose filter pins a string or ObjectId _id) is serialized only with the
// other writes to that document, and with the exclusive ones: writes to
// different documents cannot take part in that race, and SQLite orders
// their commits itself. Every other write is exclusive (see turns).
// Requests that only read bypass the gate (see readOnly). Each client
// connection still gets its own backend connection, so cursors and
// sessions stay per connection.
//
// Behind the gate the devstore also keeps FerretDB's _id lookups indexed
// (idIndex), turns guarded writes into _id lookups (guard, inList) and
// translates FerretDB's duplicate-key quirk (translateDuplicate).
type gate struct {
	backend string
	timeout time.Duration
	log     *slog.Logger
	// turns admits the writes: a turn is taken before the request is sent
	// and ends when its reply has been read.
	turns *turns
	// ids keeps the _id expression index on every collection; nil when
	// the devstore runs without it (-id-index=false).
	ids *idIndex
	// pushdown enables the rewrites of guard and inList.
	pushdown bool
	stats    *stats
}

// gateOptions are what newGate needs besides the backend address.
type gateOptions struct {
	timeout  time.Duration
	log      *slog.Logger
	ids      *idIndex // nil: no index maintenance and no rewrites
	pushdown bool
	stats    *stats // nil: a fresh set of counters
}

// newGate returns a gate that forwards to the wire-protocol server at backend.
// The timeout bounds both the wait for the gate and each round trip behind it.
func newGate(backend string, o gateOptions) *gate {
	st := o.stats
	if st == nil {
		st = newStats()
	}
	return &gate{backend: backend, timeout: o.timeout, log: o.log, turns: newTurns(o.timeout),
		ids: o.ids, pushdown: o.pushdown && o.ids != nil, stats: st}
}

// serve accepts connections on ln until ctx is done. Then it stops accepting,
// lets the request in flight finish, closes every connection and returns.
func (g *gate) serve(ctx context.Context, ln net.Listener) error {
	conns, closeConns := context.WithCancel(context.WithoutCancel(ctx))
	defer closeConns()
	stopAccept := context.AfterFunc(ctx, func() { _ = ln.Close() })
	defer stopAccept()

	var wg sync.WaitGroup
	var err error
	for {
		c, aerr := ln.Accept()
		if aerr != nil {
			if ctx.Err() == nil {
				err = fmt.Errorf("gate: accept: %w", aerr)
				_ = ln.Close()
			}
			break
		}
		wg.Go(func() { g.serveConn(conns, c) })
	}

	// Holding the gate while closing means no client sees its write cut in
	// half; requests still waiting fail with a closed connection and the
	// driver retries them against the next store.
	if release, aerr := g.turns.acquire(context.WithoutCancel(ctx), ""); aerr == nil {
		defer release()
	} else {
		g.log.Warn("closing with a request in flight", "err", aerr)
	}
	closeConns()
	wg.Wait()
	return err
}
