package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/orderly-shop/orderly/devstack"
)

// Demo account e-mails, as the server creates them in development.
const (
	demoCustomerEmail = "demo@orderly.dev"
	demoAdminEmail    = "admin@orderly.dev"
)

// printBanner says where everything is, once the stack is ready.
// The times tell a slow start's cause apart: building or starting.
func printBanner(out *devstack.Output, c config, ep endpoints, building, starting time.Duration) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	r := func(d time.Duration) time.Duration { return d.Round(100 * time.Millisecond) }
	fmt.Fprintf(tw, "\n  Orderly is running (ready in %s: building %s, starting %s)\n\n",
		r(building+starting), r(building), r(starting))
	if ep.app {
		fmt.Fprintf(tw, "  App\t%s/\n", c.appURL())
		fmt.Fprintf(tw, "  Playground\t%s/playground\n", c.appURL())
	} else {
		fmt.Fprintf(tw, "  App\tnot started (%s)\n", notStartedWhy(c))
	}
	fmt.Fprintf(tw, "  Temporal UI\t%s\n", ep.temporalUI)
	fmt.Fprintf(tw, "  Temporal\t%s (namespace %s)\n", ep.temporal, c.namespace)
	fmt.Fprintf(tw, "  Store\t%s (database %s)\n", ep.store, c.database)
	if c.dataDir != "" {
		fmt.Fprintf(tw, "  Data\t%s\n", c.dataDir)
	}
	if ep.app {
		fmt.Fprintf(tw, "  Metrics\thttp://%s/metrics (server), http://%s/metrics (worker)\n", c.serverMetrics, c.workerMetrics)
		if c.otlpEndpoint != "" {
			fmt.Fprintf(tw, "  Traces\tto %s (OTLP)\n", c.otlpEndpoint)
		} else {
			fmt.Fprintf(tw, "  Traces\toff: docker compose up -d jaeger, then OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 make run; view at http://localhost:16686\n")
		}
		fmt.Fprintf(tw, "  Payloads\tencrypted (keys from %s); Temporal UI codec endpoint %s/codec\n", ep.payloadKeysFrom, c.appURL())
	}
	if ep.app {
		fmt.Fprintf(tw, "\n  Demo accounts\n")
		fmt.Fprintf(tw, "    customer\t%s / %s\n", demoCustomerEmail, c.customerPassword)
		fmt.Fprintf(tw, "    operator\t%s / %s\n", demoAdminEmail, c.adminPassword)
	}
	if c.exec == "" {
		fmt.Fprintf(tw, "\n  Press Ctrl-C to stop.\n")
	}
	tw.Flush()
	out.Printf("%s\n", b.String())
}

func notStartedWhy(c config) string {
	if c.noApp {
		return "-no-app"
	}
	return "no server/ package yet"
}
