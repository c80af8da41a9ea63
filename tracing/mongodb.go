package tracing

import (
	"context"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// MongoMonitor returns a driver command monitor that records each command
// as a client span (named "find orders", "update products", …) under the
// span of the context the command ran with, or nil when tracing is off.
// Commands outside any trace (the change feed's polls, start-up) are left
// out: each would be a trace of one span, several a second.
//
// OpenTelemetry's own otelmongo instrumentation is written for the v1
// driver and not published for v2, so this is the same idea in a few lines:
// spans follow the database semantic conventions and never hold the
// command's documents (names, addresses) — only its name, collection and
// outcome.
func (p *Provider) MongoMonitor() *event.CommandMonitor {
	if !p.Enabled() {
		return nil
	}
	m := &mongoSpans{tracer: p.tp.Tracer(instrumentation + "/mongodb"), spans: map[spanKey]trace.Span{}}
	return &event.CommandMonitor{Started: m.started, Succeeded: m.succeeded, Failed: m.failed}
}

// mongoSpans holds the spans of the commands in flight. A command is known
// by its connection and request ID, which the driver repeats in the event
// that ends it.
type mongoSpans struct {
	tracer trace.Tracer
	mu     sync.Mutex
	spans  map[spanKey]trace.Span
}

type spanKey struct {
	conn string
	req  int64
}

func (m *mongoSpans) started(ctx context.Context, e *event.CommandStartedEvent) {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return
	}
	coll := collectionOf(e.Command, e.CommandName)
	name := e.CommandName
	if coll != "" {
		name += " " + coll
	}
	attrs := []attribute.KeyValue{
		semconv.DBSystemNameMongoDB,
		semconv.DBOperationName(e.CommandName),
		semconv.DBNamespace(e.DatabaseName),
	}
	if coll != "" {
		attrs = append(attrs, semconv.DBCollectionName(coll))
	}
	_, span := m.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	m.mu.Lock()
	m.spans[spanKey{e.ConnectionID, e.RequestID}] = span
	m.mu.Unlock()
}

func (m *mongoSpans) end(conn string, req int64) trace.Span {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := spanKey{conn, req}
	span, ok := m.spans[k]
	if !ok {
		return nil
	}
	delete(m.spans, k)
	return span
}

func (m *mongoSpans) succeeded(_ context.Context, e *event.CommandSucceededEvent) {
	if span := m.end(e.ConnectionID, e.RequestID); span != nil {
		span.End()
	}
}

func (m *mongoSpans) failed(_ context.Context, e *event.CommandFailedEvent) {
	if span := m.end(e.ConnectionID, e.RequestID); span != nil {
		// Not the error text: a duplicate-key message quotes the key (an
		// e-mail address, say).
		span.SetStatus(codes.Error, "command failed")
		span.End()
	}
}

// collectionOf returns the collection a command names in its first element
// ({find: "orders", …}), or "" for commands on no collection (hello, ping).
func collectionOf(cmd bson.Raw, name string) string {
	v, err := cmd.LookupErr(name)
	if err != nil {
		return ""
	}
	s, ok := v.StringValueOK()
	if !ok {
		return ""
	}
	return s
}
