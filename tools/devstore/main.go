// Command devstore serves a MongoDB-compatible store for development and
// tests: FerretDB embedded with its SQLite backend, behind a gate that admits
// one wire-protocol request at a time so that concurrent conditional updates
// from several processes stay atomic (see gate).
//
// Usage:
//
//	devstore -listen 127.0.0.1:27017 -data ./data/store
//
// It prints "devstore: ready mongodb://HOST:PORT/" on stdout once it accepts
// connections, logs to stderr, and stops cleanly on SIGINT or SIGTERM.
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
	"syscall"
	"time"
)

func main() {
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
