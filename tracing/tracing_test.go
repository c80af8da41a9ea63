package tracing

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func inMemory(t *testing.T) (*Provider, *tracetest.InMemoryExporter) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	p := NewWithExporter(exp, nil)
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	return p, exp
}

// flush exports every span ended so far (Shutdown would also clear the
// in-memory exporter).
func flush(t *testing.T, p *Provider) {
	t.Helper()
	if err := p.tp.(*sdktrace.TracerProvider).ForceFlush(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestOffInstrumentsNothing: without an exporter nothing is wrapped.
func TestOffInstrumentsNothing(t *testing.T) {
	p := Off()
	if p.GraphQLExtension() != nil || p.MongoMonitor() != nil {
		t.Error("an untraced process gets instrumentation")
	}
	if ti, err := p.TemporalInterceptor(); ti != nil || err != nil {
		t.Errorf("temporal interceptor %v, %v", ti, err)
	}
	if p, err := New(t.Context(), Config{}); err != nil || p.Enabled() {
		t.Errorf("New with nothing configured: %v, %v", p.Enabled(), err)
	}
}

// TestLogHandlerAddsTraceIDs: a line logged inside a span names the span's
// trace and span; a line outside any names none.
func TestLogHandlerAddsTraceIDs(t *testing.T) {
	p, _ := inMemory(t)
	var buf bytes.Buffer
	log := slog.New(LogHandler(slog.NewJSONHandler(&buf, nil))).With("component", "test")
	ctx, span := p.tracer().Start(t.Context(), "work")
	log.InfoContext(ctx, "inside")
	span.End()
	log.InfoContext(t.Context(), "outside")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	sc := span.SpanContext()
	if !strings.Contains(lines[0], `"trace_id":"`+sc.TraceID().String()+`"`) || !strings.Contains(lines[0], `"span_id":"`+sc.SpanID().String()+`"`) {
		t.Errorf("inside a span: %s", lines[0])
	}
	if !strings.Contains(lines[0], `"component":"test"`) {
		t.Errorf("With attributes lost: %s", lines[0])
	}
	if strings.Contains(lines[1], "trace_id") {
		t.Errorf("outside any span: %s", lines[1])
	}
}

// TestRedaction: the attributes otelgqlgen takes from the request (query
// text, variables, field arguments) never reach a span; the others do.
func TestRedaction(t *testing.T) {
	p, exp := inMemory(t)
	tracer := redactingProvider{p.tp}.Tracer("test")
	ctx, span := tracer.Start(t.Context(), "op")
	span.SetAttributes(
		attribute.String("gql.request.query", `mutation { login(input: {password: "hunter2"}) { token } }`),
		attribute.String("gql.request.variables.input", "hunter2"),
		attribute.String("gql.resolver.args.input", "hunter2"),
		attribute.String("gql.resolver.field", "login"),
	)
	_, child := p.tracer().Start(ctx, "child")
	child.End()
	span.End()
	flush(t, p)
	spans := exp.GetSpans()
	if len(spans) != 2 || spans[0].Parent.SpanID() != spans[1].SpanContext.SpanID() {
		t.Fatalf("spans %v: the child lost its parent", spans)
	}
	var keys []string
	for _, a := range spans[1].Attributes {
		keys = append(keys, string(a.Key))
		if strings.Contains(a.Value.String(), "hunter2") {
			t.Errorf("attribute %s holds the password", a.Key)
		}
	}
	if strings.Join(keys, ",") != "gql.resolver.field" {
		t.Errorf("attributes kept: %v", keys)
	}
}

// TestMongoMonitor: a command inside a trace becomes a client span named
// after it and its collection; one outside any trace is left out.
func TestMongoMonitor(t *testing.T) {
	p, exp := inMemory(t)
	m := p.MongoMonitor()
	cmd, _ := bson.Marshal(bson.D{{Key: "find", Value: "orders"}, {Key: "filter", Value: bson.D{{Key: "name", Value: "Ada Lovelace"}}}})
	run := func(ctx context.Context, id int64, fail bool) {
		m.Started(ctx, &event.CommandStartedEvent{Command: cmd, DatabaseName: "shop", CommandName: "find", RequestID: id, ConnectionID: "c1"})
		fin := event.CommandFinishedEvent{CommandName: "find", RequestID: id, ConnectionID: "c1"}
		if fail {
			m.Failed(ctx, &event.CommandFailedEvent{CommandFinishedEvent: fin, Failure: errAdaExists})
		} else {
			m.Succeeded(ctx, &event.CommandSucceededEvent{CommandFinishedEvent: fin})
		}
	}
	ctx, parent := p.tracer().Start(t.Context(), "activity")
	run(ctx, 1, false)
	run(ctx, 2, true)
	run(t.Context(), 3, false) // no trace
	parent.End()
	flush(t, p)
	spans := exp.GetSpans()
	if len(spans) != 3 {
		t.Fatalf("%d spans, want the two commands and their parent", len(spans))
	}
	for _, s := range spans[:2] {
		if s.Name != "find orders" || s.Parent.SpanID() != parent.SpanContext().SpanID() {
			t.Errorf("span %q under %v", s.Name, s.Parent.SpanID())
		}
		for _, a := range s.Attributes {
			if strings.Contains(a.Value.String(), "Ada") {
				t.Errorf("attribute %s holds the document", a.Key)
			}
		}
		if strings.Contains(s.Status.Description, "Ada") {
			t.Errorf("status %q quotes the error", s.Status.Description)
		}
	}
}

type adaError struct{}

func (adaError) Error() string { return `E11000 duplicate key: { name: "Ada Lovelace" }` }

var errAdaExists error = adaError{}
