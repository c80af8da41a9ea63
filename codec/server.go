package codec

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/rs/cors"
	"go.temporal.io/sdk/converter"

	"github.com/orderly-shop/orderly"
)

// Sessions finds the account behind a session token; the server's
// orderly.AccountService does.
type Sessions interface {
	CustomerBySession(ctx context.Context, token string) (*orderly.Customer, error)
}

// ServerOptions configure the codec endpoint.
type ServerOptions struct {
	// Sessions authenticates the caller's bearer token; only operators
	// (orderly.RoleAdmin) may use the endpoint.
	Sessions Sessions
	// AllowedOrigins are the browser origins that may call the endpoint: the
	// Temporal Web UI's. Credentials (cookies) are not allowed; the UI sends
	// the token as a header.
	AllowedOrigins []string
	// MaxBodyBytes bounds a request; 0 means 4 MiB (Temporal refuses
	// payloads over 2 MiB by default).
	MaxBodyBytes int64
	Logger       *slog.Logger
}

// Server returns the remote codec endpoint (Temporal's protocol: POST
// <endpoint>/decode and <endpoint>/encode with a JSON Payloads body, and the
// X-Namespace header), to mount at /codec/. The caller must be an operator:
// "Authorization: Bearer <session token>", else 401 (no or a bad token) or
// 403 (not an operator). The answer is never cached.
func (c *Codec) Server(opts ServerOptions) http.Handler {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 4 << 20
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	codecs := converter.NewPayloadCodecHTTPHandler(c)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "use POST", http.StatusMethodNotAllowed)
			return
		}
		token, ok := bearer(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="orderly"`)
			http.Error(w, "send an operator's session as Authorization: Bearer <token>", http.StatusUnauthorized)
			return
		}
		customer, err := opts.Sessions.CustomerBySession(r.Context(), token)
		switch {
		case orderly.ErrorCode(err) == orderly.EUNAUTHORIZED:
			w.Header().Set("WWW-Authenticate", `Bearer realm="orderly", error="invalid_token"`)
			http.Error(w, "the session is unknown, expired or revoked", http.StatusUnauthorized)
			return
		case err != nil:
			logger.ErrorContext(r.Context(), "codec: authentication failed", "err", err)
			http.Error(w, "authentication is unavailable; try again", http.StatusServiceUnavailable)
			return
		case !customer.IsAdmin():
			http.Error(w, "only operators may decode payloads", http.StatusForbidden)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, opts.MaxBodyBytes)
		logger.InfoContext(r.Context(), "codec request", "path", r.URL.Path, "operator", customer.ID,
			"namespace", r.Header.Get("X-Namespace"))
		codecs.ServeHTTP(w, r)
	})
	corsOpts := cors.Options{
		AllowedOrigins: opts.AllowedOrigins,
		AllowedMethods: []string{http.MethodPost},
		AllowedHeaders: []string{"Authorization", "Content-Type", "X-Namespace"},
		MaxAge:         600,
	}
	if len(opts.AllowedOrigins) == 0 {
		corsOpts.AllowOriginFunc = func(string) bool { return false } // an empty list means none, not all
	}
	return cors.New(corsOpts).Handler(h)
}

// bearer returns the token of "Bearer <token>".
func bearer(authorization string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > 512 {
		return "", false
	}
	return token, true
}
