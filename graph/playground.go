package graph

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"

	"github.com/99designs/gqlgen/graphql/playground"
)

// PlaygroundHandler serves GraphiQL against the endpoint path (for example
// "/graphql"); the server mounts it at /playground in development.
//
// The page is gqlgen's: GraphiQL and React from cdn.jsdelivr.net (pinned
// by subresource integrity), one inline script that starts it, inline
// styles. It gets its own Content-Security-Policy (playgroundPolicy), which
// replaces the app's strict one: the inline script is allowed by its
// SHA-256, scripts and styles from the CDN, styles inline (GraphiQL adds
// its own at run time), connections to this origin only.
func PlaygroundHandler(endpoint string) http.Handler {
	page := playground.Handler("Orderly GraphQL", endpoint)
	policy := playgroundPolicy(renderPage(page))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", policy)
		page.ServeHTTP(w, r)
	})
}

// playgroundCDN is where gqlgen's GraphiQL page loads its code from.
const playgroundCDN = "https://cdn.jsdelivr.net"

// inlineScript matches a <script> element without src and captures its text.
var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// playgroundPolicy is the Content-Security-Policy of a GraphiQL page: its
// inline scripts by hash, nothing else inline but styles.
func playgroundPolicy(page []byte) string {
	sources := []string{playgroundCDN}
	for _, m := range inlineScript.FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		sources = append(sources, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src " + strings.Join(sources, " "),
		"style-src 'unsafe-inline' " + playgroundCDN,
		"font-src data: " + playgroundCDN,
		"img-src 'self' data: " + playgroundCDN,
		"connect-src 'self'",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

// renderPage runs a handler that always serves the same page and returns it.
func renderPage(h http.Handler) []byte {
	w := &pageRecorder{header: http.Header{}}
	h.ServeHTTP(w, &http.Request{Method: http.MethodGet, Header: http.Header{}})
	return w.body.Bytes()
}

// pageRecorder is the smallest http.ResponseWriter that keeps the body.
type pageRecorder struct {
	header http.Header
	body   bytes.Buffer
}

func (p *pageRecorder) Header() http.Header         { return p.header }
func (p *pageRecorder) Write(b []byte) (int, error) { return p.body.Write(b) }
func (p *pageRecorder) WriteHeader(int)             {}
