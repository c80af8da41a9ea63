package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/orderly-shop/orderly/devstack"
)

// run builds and starts the stack and keeps it up until ctx is done (Ctrl-C)
// or a process exits. It returns the exit code. stopSignals is called once
// stopping begins, so that a second Ctrl-C kills the launcher at once; the
// kernel then kills the children it leaves behind.
func run(ctx context.Context, stopSignals func(), args []string, started time.Time) (code int, err error) {
	c, err := loadConfig(args, os.Getenv)
	if err != nil {
		return 2, err
	}
	if err := checkPorts(c); err != nil {
		return 1, err
	}
	out := devstack.NewOutput(os.Stdout)

	dataDir := c.dataDir
	if c.ephemeral {
		if dataDir, err = os.MkdirTemp("", "orderly-dev-"); err != nil {
			return 1, fmt.Errorf("data dir: %w", err)
		}
		defer os.RemoveAll(dataDir)
	}

	b, err := build(ctx, c, out)
	if err != nil {
		return interrupted(ctx, err)
	}
	built := time.Now()

	stack := devstack.NewStack()
	defer func() {
		stopSignals()
		out.Printf("orderly-dev: stopping (Ctrl-C again to force)\n")
		if serr := stack.Stop(); serr != nil && err == nil {
			err = serr
		}
		out.Printf("orderly-dev: stopped\n")
	}()

	ep, err := startStack(ctx, c, dataDir, b, stack, out)
	if err != nil {
		return interrupted(ctx, err)
	}
	printBanner(out, c, ep, built.Sub(started), time.Since(built))

	if c.exec != "" {
		return runExec(ctx, c, ep, stack, out)
	}
	if err := stack.Wait(ctx); err != nil {
		return 1, err
	}
	return 0, nil
}

// interrupted turns the error of a step cut short by Ctrl-C into a quiet
// exit: the user asked for it.
func interrupted(ctx context.Context, err error) (int, error) {
	if ctx.Err() != nil {
		return 130, nil
	}
	return 1, err
}
