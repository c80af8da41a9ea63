package envconfig

import (
	"io"
	"log/slog"

	"github.com/orderly-shop/orderly/tracing"
)

// Logging is the log configuration every binary shares.
type Logging struct {
	Level  slog.Level
	Format string // "text" or "json"
}

// ReadLogging reads LOG_LEVEL (debug, info, warn, error) and LOG_FORMAT
// (text, json).
func ReadLogging(r *Reader) Logging {
	var lvl slog.Level
	r.Check("LOG_LEVEL", lvl.UnmarshalText([]byte(r.String("LOG_LEVEL", "info"))))
	return Logging{Level: lvl, Format: r.OneOf("LOG_FORMAT", "text", "text", "json")}
}

// NewLogger returns a slog.Logger writing to w in the configured format.
// A line logged with a context inside a traced span carries trace_id and
// span_id.
func (l Logging) NewLogger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: l.Level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if l.Format == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(tracing.LogHandler(h))
}
