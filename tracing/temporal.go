package tracing

import (
	"fmt"

	"go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
)

// TemporalInterceptor returns the Temporal SDK's OpenTelemetry interceptor,
// or nil when tracing is off. Set on the client, it also intercepts every
// worker made from that client: starting a workflow carries the caller's
// span in the workflow's header, so the workflow, its activities and its
// child workflows continue the caller's trace (spans RunWorkflow:…,
// StartActivity:…, RunActivity:…). Workflow spans are created replay-safe
// by the SDK.
func (p *Provider) TemporalInterceptor() (interceptor.Interceptor, error) {
	if !p.Enabled() {
		return nil, nil
	}
	i, err := opentelemetry.NewTracingInterceptor(opentelemetry.TracerOptions{
		Tracer:            p.tp.Tracer(instrumentation + "/temporal"),
		TextMapPropagator: p.propagator,
	})
	if err != nil {
		return nil, fmt.Errorf("tracing: temporal interceptor: %w", err)
	}
	return i, nil
}
