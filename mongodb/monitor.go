package mongodb

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// OpenOption adjusts how Open connects.
type OpenOption func(*options.ClientOptions)

// WithCommandMonitor has the driver report every command to m (the binaries'
// tracing and metrics). Given several times, each monitor hears every event,
// in the order given: the driver itself takes only one. A nil m is ignored.
func WithCommandMonitor(m *event.CommandMonitor) OpenOption {
	return func(o *options.ClientOptions) {
		if m == nil {
			return
		}
		if o.Monitor == nil {
			o.SetMonitor(m)
			return
		}
		o.SetMonitor(chainMonitors(o.Monitor, m))
	}
}

func chainMonitors(a, b *event.CommandMonitor) *event.CommandMonitor {
	return &event.CommandMonitor{
		Started: func(ctx context.Context, e *event.CommandStartedEvent) {
			if a.Started != nil {
				a.Started(ctx, e)
			}
			if b.Started != nil {
				b.Started(ctx, e)
			}
		},
		Succeeded: func(ctx context.Context, e *event.CommandSucceededEvent) {
			if a.Succeeded != nil {
				a.Succeeded(ctx, e)
			}
			if b.Succeeded != nil {
				b.Succeeded(ctx, e)
			}
		},
		Failed: func(ctx context.Context, e *event.CommandFailedEvent) {
			if a.Failed != nil {
				a.Failed(ctx, e)
			}
			if b.Failed != nil {
				b.Failed(ctx, e)
			}
		},
	}
}
