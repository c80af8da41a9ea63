// Command server is Orderly's API server: GraphQL over HTTP and websocket at
// /graphql, GraphiQL at /playground, the web app at /, and /healthz and
// /readyz probes. It is stateless apart from one change feed per process, so
// any number of replicas can run behind a load balancer.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := LoadConfig(os.LookupEnv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
	if err := Run(ctx, cfg, cfg.Logging.NewLogger(os.Stderr)); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}
