package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"
)

// gate is a TCP proxy in front of FerretDB that admits one writing request
// at a time across all client connections.
//
// FerretDB runs an update as a read followed by a write by _id, with no
// re-check in between (FerretDB issue #3040), so two concurrent conditional
// updates can both pass their filter: stock is oversold and upserted counters
// lose increments. Serializing whole requests makes each one atomic against
// every other, whichever process sent it. Requests that only read bypass the
// gate (see readOnly). Each client connection still gets its own backend
// connection, so cursors and sessions stay per connection.
//
// Behind the gate the devstore also keeps FerretDB's _id lookups indexed
// (idIndex), turns guarded writes into _id lookups (guard, inList) and
// translates FerretDB's duplicate-key quirk (translateDuplicate).
type gate struct {
	backend string
	timeout time.Duration
	log     *slog.Logger
	// turn holds one token while a request is in flight: sending acquires the
	// gate, receiving releases it. A channel, unlike a mutex, lets a waiter
	// give up when its connection closes or the wait exceeds timeout.
	turn chan struct{}
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
	return &gate{backend: backend, timeout: o.timeout, log: o.log, turn: make(chan struct{}, 1),
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
	if release, aerr := g.acquire(context.WithoutCancel(ctx)); aerr == nil {
		defer release()
	} else {
		g.log.Warn("closing with a request in flight", "err", aerr)
	}
	closeConns()
	wg.Wait()
	return err
}

// acquire waits for the gate and returns the function that releases it.
func (g *gate) acquire(ctx context.Context) (release func(), err error) {
	t := time.NewTimer(g.timeout)
	defer t.Stop()
	select {
	case g.turn <- struct{}{}:
		return func() { <-g.turn }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("gate: %w", context.Cause(ctx))
	case <-t.C:
		return nil, errors.New("gate: still busy after " + g.timeout.String())
	}
}
