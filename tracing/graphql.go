package tracing

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/ravilushqa/otelgqlgen"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// GraphQLExtension returns the gqlgen extension that traces each operation
// as a span (named after the operation) with one child span per root field
// (Mutation/placeOrder), or nil when tracing is off.
//
// Spans never hold what a client sent: variables are left out, and so are
// the raw query text and the field arguments, which otelgqlgen records
// unconditionally and which carry inline literals such as a login password
// or a shipping address.
func (p *Provider) GraphQLExtension() graphql.HandlerExtension {
	if !p.Enabled() {
		return nil
	}
	return otelgqlgen.Middleware(
		otelgqlgen.WithTracerProvider(redactingProvider{p.tp}),
		otelgqlgen.WithoutVariables(),
		otelgqlgen.WithCreateSpanFromFields(func(fc *graphql.FieldContext) bool {
			return fc.Object == "Query" || fc.Object == "Mutation" || fc.Object == "Subscription"
		}),
	)
}

// redacted reports whether an otelgqlgen attribute holds client input.
func redacted(k attribute.Key) bool {
	s := string(k)
	return s == "gql.request.query" || strings.HasPrefix(s, "gql.resolver.args") || strings.HasPrefix(s, "gql.request.variables")
}

// redactingProvider hands out tracers whose spans drop redacted attributes.
type redactingProvider struct{ trace.TracerProvider }

func (p redactingProvider) Tracer(name string, opts ...trace.TracerOption) trace.Tracer {
	return redactingTracer{p.TracerProvider.Tracer(name, opts...)}
}

type redactingTracer struct{ trace.Tracer }

func (t redactingTracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	ctx, span := t.Tracer.Start(ctx, name, opts...)
	s := redactingSpan{span}
	return trace.ContextWithSpan(ctx, s), s
}

type redactingSpan struct{ trace.Span }

func (s redactingSpan) SetAttributes(kv ...attribute.KeyValue) {
	kept := kv[:0:0]
	for _, a := range kv {
		if !redacted(a.Key) {
			kept = append(kept, a)
		}
	}
	s.Span.SetAttributes(kept...)
}
