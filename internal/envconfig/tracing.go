package envconfig

import (
	"strconv"

	"github.com/orderly-shop/orderly/tracing"
)

// samplers are the OTEL_TRACES_SAMPLER values the Go SDK implements.
var samplers = []string{
	"always_on", "always_off", "traceidratio",
	"parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio",
}

// ReadTracing reads the OTEL_* variables that decide tracing. The exporter
// and the SDK read the details (endpoint, headers, sampler ratio, batching)
// themselves; they are read here too, to refuse values the SDK would
// silently ignore. Tracing is on
// when OTEL_TRACES_EXPORTER is "otlp", or when it is unset and an OTLP
// endpoint (OTEL_EXPORTER_OTLP_ENDPOINT or ..._TRACES_ENDPOINT) is; it is off
// with OTEL_TRACES_EXPORTER=none, with OTEL_SDK_DISABLED=true, and when
// nothing is set. The protocol defaults to http/protobuf, as the
// specification says.
func ReadTracing(r *Reader, serviceName string) tracing.Config {
	t := tracing.Config{ServiceName: serviceName}
	disabled := r.Bool("OTEL_SDK_DISABLED", false)
	exporter := r.OneOf("OTEL_TRACES_EXPORTER", "", "", "otlp", "none")
	endpoint := ""
	for _, key := range []string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"} {
		if _, set := r.raw(key); set {
			endpoint = r.URL(key, "", "http", "https")
		}
	}
	t.Protocol = r.OneOf("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
		r.OneOf("OTEL_EXPORTER_OTLP_PROTOCOL", tracing.OTLPHTTP, tracing.OTLPGRPC, tracing.OTLPHTTP), tracing.OTLPGRPC, tracing.OTLPHTTP)
	r.OneOf("OTEL_TRACES_SAMPLER", "parentbased_always_on", samplers...)
	if arg, set := r.raw("OTEL_TRACES_SAMPLER_ARG"); set {
		if f, err := strconv.ParseFloat(arg, 64); err != nil || f < 0 || f > 1 {
			r.fail("OTEL_TRACES_SAMPLER_ARG", "is %q; want a ratio from 0 to 1", arg)
		}
	}
	if !disabled && (exporter == "otlp" || (exporter == "" && endpoint != "")) {
		t.Exporter = "otlp"
	}
	return t
}
