package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"google.golang.org/protobuf/types/known/durationpb"
)

// registerNamespace registers a namespace and waits until the frontend
// serves it (it learns of new namespaces from a cache).
func registerNamespace(ctx context.Context, address, name string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	nc, err := client.NewNamespaceClient(client.Options{HostPort: address, Logger: quietSDK()})
	if err != nil {
		return fmt.Errorf("namespace client: %w", err)
	}
	defer nc.Close()
	if err := nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: name, WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour),
	}); err != nil {
		return fmt.Errorf("register namespace %s: %w", name, err)
	}
	tc, err := client.DialContext(ctx, client.Options{HostPort: address, Namespace: name, Logger: quietSDK()})
	if err != nil {
		return fmt.Errorf("dial temporal: %w", err)
	}
	defer tc.Close()
	for {
		_, err := tc.DescribeWorkflowExecution(ctx, "no-such-workflow", "")
		var nf *serviceerror.NotFound
		var nsNotFound *serviceerror.NamespaceNotFound
		if errors.As(err, &nf) && !errors.As(err, &nsNotFound) && !strings.Contains(err.Error(), "amespace") {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("namespace %s not served: %v", name, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// dialTemporal connects a client in a namespace.
func dialTemporal(ctx context.Context, address, namespace string) (client.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{HostPort: address, Namespace: namespace, Logger: quietSDK()})
	if err != nil {
		return nil, fmt.Errorf("dial temporal: %w", err)
	}
	return c, nil
}

// quietSDK is the Temporal SDK's logger here: the harness reports the
// errors the SDK returns, so its logs would only repeat them.
func quietSDK() tlog.Logger { return tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)) }

// terminate ends the workflows still running that the benchmark left,
// best effort and bounded, so that they cost the next point nothing.
func terminate(ctx context.Context, c client.Client, workflowIDs []string) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for _, id := range workflowIDs {
		if ctx.Err() != nil {
			return
		}
		_ = c.TerminateWorkflow(ctx, id, "", "benchmark point over")
	}
}
