package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/rs/cors"
)

// newCORS is the server's one cross-origin policy, over the allowlist
// (CORS_ALLOWED_ORIGINS): the HTTP routes run behind its Handler, and the
// websocket upgrade asks its OriginAllowed (graph.HandlerOptions), so both
// read the same list the same way: scheme, host and port must match an
// entry exactly, case aside.
func newCORS(allowedOrigins []string) *cors.Cors {
	opts := cors.Options{
		AllowedOrigins: allowedOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Authorization", "Content-Type", "Accept"},
		MaxAge:         600,
		// Sessions travel as bearer tokens, never cookies, so no credentials.
		AllowCredentials: false,
	}
	if len(allowedOrigins) == 0 {
		// The CORS library reads an empty list as "every origin"; here it
		// means none but the server's own.
		opts.AllowOriginFunc = func(string) bool { return false }
	}
	return cors.New(opts)
}

// checkOrigin validates one allowlist entry: scheme://host[:port], nothing
// more (a trailing slash is tolerated; LoadConfig drops it). Browsers send
// Origin in exactly that form, so anything else (a path, a query, user info,
// an empty port) would never match; and a "*" would be a wildcard to the
// CORS library but a literal character to the websocket's origin check.
func checkOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		strings.Contains(u.Host, "*") || strings.HasSuffix(u.Host, ":") ||
		!strings.EqualFold(strings.TrimSuffix(o, "/"), u.Scheme+"://"+u.Host) {
		return fmt.Errorf("origin %q must look like https://shop.example.com", o)
	}
	return nil
}
