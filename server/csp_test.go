package main

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/orderly-shop/orderly/graph"
)

// TestContentSecurityPolicy: the app is served under a policy with no
// inline script, no eval and no foreign origin; the playground under its
// own, which admits its one inline script by hash (the hash of the script
// the page really holds) and GraphiQL's CDN, and nothing inline else but
// styles. Each response carries exactly one policy.
func TestContentSecurityPolicy(t *testing.T) {
	r := stubRoutes()
	r.Playground = graph.PlaygroundHandler("/graphql")
	logger, _ := newTestLogger()
	h := newHandler(r, newCORS(testOrigins), logger)

	directives := func(policy string) map[string][]string {
		m := map[string][]string{}
		for _, d := range strings.Split(policy, ";") {
			f := strings.Fields(d)
			if len(f) > 0 {
				m[f[0]] = f[1:]
			}
		}
		return m
	}
	for _, path := range []string{"/", "/orders/ord_1", "/graphql", "/healthz"} {
		rec := serve(h, httptest.NewRequest("GET", path, nil))
		got := rec.Header().Values("Content-Security-Policy")
		if len(got) != 1 {
			t.Fatalf("%s: policies %q, want one", path, got)
		}
		d := directives(got[0])
		if s := strings.Join(d["script-src"], " "); s != "'self'" {
			t.Errorf("%s: script-src %q, want only 'self'", path, s)
		}
		for _, name := range []string{"default-src", "style-src", "connect-src"} {
			if s := strings.Join(d[name], " "); s != "'self'" {
				t.Errorf("%s: %s %q, want only 'self'", path, name, s)
			}
		}
		if s := strings.Join(d["object-src"], " "); s != "'none'" {
			t.Errorf("%s: object-src %q", path, s)
		}
		if s := strings.Join(d["frame-ancestors"], " "); s != "'none'" {
			t.Errorf("%s: frame-ancestors %q", path, s)
		}
	}

	rec := serve(h, httptest.NewRequest("GET", "/playground", nil))
	got := rec.Header().Values("Content-Security-Policy")
	if rec.Code != 200 || len(got) != 1 {
		t.Fatalf("playground: %d, policies %q", rec.Code, got)
	}
	d := directives(got[0])
	scripts := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(rec.Body.String(), -1)
	if len(scripts) == 0 {
		t.Fatal("the playground page has no inline script; the test proves nothing")
	}
	for _, s := range scripts {
		sum := sha256.Sum256([]byte(s[1]))
		hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if !strings.Contains(strings.Join(d["script-src"], " "), hash) {
			t.Errorf("playground script-src %q does not admit its inline script %s", d["script-src"], hash)
		}
	}
	for _, src := range d["script-src"] {
		if src == "'unsafe-inline'" || src == "'unsafe-eval'" || src == "*" || src == "https:" {
			t.Errorf("playground script-src has %s", src)
		}
	}
	for _, m := range regexp.MustCompile(`src="([^"]+)"`).FindAllStringSubmatch(rec.Body.String(), -1) {
		if !strings.HasPrefix(m[1], "https://cdn.jsdelivr.net/") {
			t.Errorf("the playground loads %s, which its policy does not admit", m[1])
		}
	}
	if s := strings.Join(d["connect-src"], " "); s != "'self'" {
		t.Errorf("playground connect-src %q", s)
	}
}
