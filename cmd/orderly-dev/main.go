// Command orderly-dev is what `make run` runs: it builds Orderly and its
// development tools, starts the Temporal development server, the embedded
// store, the worker and the server as child processes with prefixed logs,
// waits until the server is ready and prints where everything is. Ctrl-C
// stops it all, newest first.
//
// MONGODB_URI and TEMPORAL_ADDRESS point it at running services instead of
// starting the embedded ones; ORDERLY_DATA_DIR moves the data (default
// ./data). With -ephemeral every port is free-picked and the data is thrown
// away; with -exec it runs a command against the stack (ORDERLY_BASE_URL in
// its environment), then stops the stack and exits with the command's status.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/orderly-shop/orderly/devstack"
)

func main() {
	started := time.Now()
	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code, err := run(ctx, stopSignals, os.Args[1:], started)
	stopSignals()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0) // the usage is printed already
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "orderly-dev:", explain(err))
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// explain adds what to do about the errors a developer can fix.
func explain(err error) error {
	var pe *devstack.PortError
	if !errors.As(err, &pe) {
		return err
	}
	hints := map[string]string{
		serviceTemporal:   "stop the other Temporal server or set TEMPORAL_ADDRESS to use it",
		serviceTemporalUI: "stop what uses it, or set TEMPORAL_ADDRESS to use a Temporal server that is already running",
		serviceStore:      "stop the other store (another `make run`?) or set MONGODB_URI to use it",
		serviceServer:     "stop the other Orderly server or set HTTP_ADDR to another address",
		serviceMetrics:    "stop the other Orderly server or worker (another `make run`?), whose metrics are served there",
	}
	if hint, ok := hints[pe.Service]; ok {
		return fmt.Errorf("%w: %s", err, hint)
	}
	return err
}
