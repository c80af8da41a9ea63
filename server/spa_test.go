package main

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const testIndex = `<!doctype html><title>Orderly</title><div id="app"></div>`

func testAssets() fstest.MapFS {
	mod := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	return fstest.MapFS{
		"index.html":                    {Data: []byte(testIndex), ModTime: mod},
		"favicon.svg":                   {Data: []byte("<svg/>"), ModTime: mod},
		"robots.txt":                    {Data: []byte("User-agent: *\n"), ModTime: mod},
		"assets/index-3f9a1c.js":        {Data: []byte("console.log(1)"), ModTime: mod},
		"assets/index-77b2e0.css":       {Data: []byte("body{}"), ModTime: mod},
		"assets/fonts/inter-a1b2.woff2": {Data: []byte("wOF2"), ModTime: mod},
	}
}

func TestSPAHandler(t *testing.T) {
	tests := []struct {
		name      string
		method    string
		target    string
		wantCode  int
		wantBody  string // exact; "" to skip
		wantType  string // Content-Type prefix
		wantCache string // Cache-Control, exact
	}{
		// index.html: for the root, itself and every client-side route.
		{name: "root", target: "/", wantCode: 200, wantBody: testIndex, wantType: "text/html; charset=utf-8", wantCache: "no-cache"},
		{name: "index.html itself", target: "/index.html", wantCode: 200, wantBody: testIndex, wantType: "text/html; charset=utf-8", wantCache: "no-cache"},
		{name: "client route", target: "/orders/ord_123", wantCode: 200, wantBody: testIndex, wantType: "text/html; charset=utf-8", wantCache: "no-cache"},
		{name: "client route with a query", target: "/products?category=mugs", wantCode: 200, wantBody: testIndex, wantCache: "no-cache"},
		{name: "client route with a trailing slash", target: "/admin/orders/", wantCode: 200, wantBody: testIndex, wantCache: "no-cache"},
		{name: "a directory is a client route", target: "/assets", wantCode: 200, wantBody: testIndex, wantCache: "no-cache"},
		{name: "a directory with a slash is a client route", target: "/assets/fonts/", wantCode: 200, wantBody: testIndex, wantCache: "no-cache"},
		{name: "graphql-like path", target: "/graphql", wantCode: 200, wantBody: testIndex, wantCache: "no-cache"},
		{name: "graphql subpath", target: "/graphql/schema", wantCode: 200, wantBody: testIndex, wantCache: "no-cache"},
		{name: "a route with an extension is taken for a missing file", target: "/products/mug.large", wantCode: 404, wantCache: ""},
		{name: "traversal stays inside", target: "/../../etc/passwd", wantCode: 200, wantBody: testIndex, wantCache: "no-cache"},
		{name: "HEAD", method: "HEAD", target: "/orders", wantCode: 200, wantBody: "", wantType: "text/html; charset=utf-8", wantCache: "no-cache"},

		// Real files, hashed assets cached for a year.
		{name: "hashed script", target: "/assets/index-3f9a1c.js", wantCode: 200, wantBody: "console.log(1)", wantType: "text/javascript", wantCache: "public, max-age=31536000, immutable"},
		{name: "hashed stylesheet", target: "/assets/index-77b2e0.css", wantCode: 200, wantBody: "body{}", wantType: "text/css", wantCache: "public, max-age=31536000, immutable"},
		{name: "nested asset", target: "/assets/fonts/inter-a1b2.woff2", wantCode: 200, wantBody: "wOF2", wantCache: "public, max-age=31536000, immutable"},
		{name: "asset with a query", target: "/assets/index-3f9a1c.js?v=2", wantCode: 200, wantBody: "console.log(1)", wantCache: "public, max-age=31536000, immutable"},
		{name: "unhashed top-level file is not immutable", target: "/favicon.svg", wantCode: 200, wantBody: "<svg/>", wantType: "image/svg+xml", wantCache: ""},
		{name: "robots.txt", target: "/robots.txt", wantCode: 200, wantBody: "User-agent: *\n", wantType: "text/plain", wantCache: ""},

		// Missing files are 404s, not index.html (a stale bundle must fail
		// loudly, not parse HTML as JavaScript).
		{name: "missing asset", target: "/assets/index-old.js", wantCode: 404, wantCache: ""},
		{name: "missing top-level file", target: "/favicon.ico", wantCode: 404, wantCache: ""},
		{name: "missing source map", target: "/assets/index-3f9a1c.js.map", wantCode: 404, wantCache: ""},

		// Only reads.
		{name: "POST", method: "POST", target: "/", wantCode: 405, wantCache: ""},
		{name: "PUT an asset", method: "PUT", target: "/assets/index-3f9a1c.js", wantCode: 405, wantCache: ""},
		{name: "DELETE", method: "DELETE", target: "/orders/1", wantCode: 405, wantCache: ""},
	}
	h := spaHandler(testAssets())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(method, tt.target, nil))
			if rec.Code != tt.wantCode {
				t.Fatalf("status = %d, want %d; body %q", rec.Code, tt.wantCode, rec.Body.String())
			}
			if cc := rec.Header().Get("Cache-Control"); cc != tt.wantCache {
				t.Errorf("Cache-Control = %q, want %q", cc, tt.wantCache)
			}
			switch tt.wantCode {
			case 200:
				if (tt.wantBody != "" || method == http.MethodHead) && rec.Body.String() != tt.wantBody {
					t.Errorf("body = %q, want %q", rec.Body.String(), tt.wantBody)
				}
				if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.wantType) {
					t.Errorf("Content-Type = %q, want %q", ct, tt.wantType)
				}
			case 404:
				if strings.Contains(rec.Body.String(), "<!doctype html>") {
					t.Errorf("a missing file got index.html")
				}
			case 405:
				if allow := rec.Header().Get("Allow"); allow != "GET, HEAD" {
					t.Errorf("Allow = %q", allow)
				}
			}
		})
	}
}

// TestSPAConditionalRequests: index.html is served without a date, so it
// is always sent whole; assets answer conditional requests from their
// modification time.
func TestSPAConditionalRequests(t *testing.T) {
	h := spaHandler(testAssets())

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/orders", nil))
	if lm := rec.Header().Get("Last-Modified"); lm != "" {
		t.Errorf("index.html has Last-Modified %q", lm)
	}

	req := httptest.NewRequest("GET", "/assets/index-3f9a1c.js", nil)
	req.Header.Set("If-Modified-Since", time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC).Format(http.TimeFormat))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("conditional asset request: status %d, want 304", rec.Code)
	}
}

// TestSPANotBuilt: without index.html every page explains how to build the
// app instead of failing.
func TestSPANotBuilt(t *testing.T) {
	h := spaHandler(fstest.MapFS{"assets/app-1.js": {Data: []byte("x")}})
	for _, target := range []string{"/", "/orders/1", "/index.html"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		if rec.Code != 200 || rec.Body.String() != notBuiltPage {
			t.Errorf("%s: status %d, body %q", target, rec.Code, rec.Body.String())
		}
		if !strings.Contains(rec.Body.String(), "make build") {
			t.Errorf("%s: the page does not say how to build", target)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/assets/app-1.js", nil))
	if rec.Code != 200 || rec.Body.String() != "x" {
		t.Errorf("asset: status %d, body %q", rec.Code, rec.Body.String())
	}
}

// failingFS fails to stat one name with an error other than "not exist".
type failingFS struct {
	fs.FS
	name string
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name == f.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.Open(name)
}

// TestSPAReadErrors: a file that exists but cannot be read is a 500, not
// index.html or a 404, and the error is not shown.
func TestSPAReadErrors(t *testing.T) {
	h := spaHandler(failingFS{FS: testAssets(), name: "assets/index-3f9a1c.js"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/assets/index-3f9a1c.js", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", rec.Code)
	}
	if body := rec.Body.String(); body != "internal error\n" {
		t.Errorf("body = %q", body)
	}
}
