package main

import (
	"context"
	"errors"
	"os/exec"

	"github.com/orderly-shop/orderly/devstack"
)

// runExec runs the -exec command against the ready stack and returns its
// exit status. A crash of the stack meanwhile ends it with an error.
func runExec(ctx context.Context, c config, ep endpoints, stack *devstack.Stack, out *devstack.Output) (int, error) {
	env := append(appEnv(c, ep), "ORDERLY_BASE_URL="+c.serverURL())
	p, err := devstack.Start(devstack.Options{Name: "exec", Path: "/bin/sh", Args: []string{"-c", c.exec},
		Dir: c.root, Env: env, Output: out})
	if err != nil {
		return 1, err
	}
	defer p.Stop()

	waitCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	crashed := make(chan error, 1)
	go func() { crashed <- stack.Wait(waitCtx) }() // returns at the latest on cancel

	select {
	case <-p.Done():
		var exit *exec.ExitError
		if err := p.Err(); errors.As(err, &exit) {
			return exit.ExitCode(), nil
		} else if err != nil {
			return 1, err
		}
		return 0, nil
	case err := <-crashed:
		if err == nil {
			return 130, nil // interrupted, as a shell would report it
		}
		return 1, err
	}
}
