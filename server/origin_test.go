package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/orderly-shop/orderly/graph"
)

// TestWebsocketOrigins: the websocket upgrade asks the same CORS policy as
// the HTTP routes (newCORS, rs/cors's OriginAllowed), so an origin must
// match an allowlist entry in scheme, host and port; the server's own pages
// are allowed by scheme and host, never by host alone (ftp://host is
// another origin); clients without an Origin (not browsers) are allowed.
func TestWebsocketOrigins(t *testing.T) {
	for _, list := range [][]string{testOrigins, nil} {
		policy := newCORS(list)
		opts := graph.DefaultHandlerOptions()
		opts.OriginAllowed = policy.OriginAllowed
		logger, _ := newTestLogger()
		r := stubRoutes()
		r.GraphQL = graph.NewHandler(&graph.Resolver{}, opts)
		srv := httptest.NewServer(newHandler(r, policy, logger))
		host := strings.TrimPrefix(srv.URL, "http://")
		listed := len(list) > 0
		tests := []struct {
			origin string
			ok     bool
		}{
			{"", true},
			{"http://" + host, true},
			{"HTTP://" + strings.ToUpper(host), true},
			{"ftp://" + host, false},
			{"https://" + host, false}, // this listener is plain http
			{"ws://" + host, false},
			{"http://" + host + "/", false},
			{"null", false},
			{"https://shop.example.com", listed},
			{"https://SHOP.example.com", listed},
			{"http://shop.example.com", false},
			{"https://shop.example.com:8443", false},
			{"https://a.shop.example.com", false},
			{"https://evil.example.com", false},
			{"http://localhost:5173", listed},
		}
		for _, tt := range tests {
			t.Run(strings.Join(list, ",")+"/"+tt.origin, func(t *testing.T) {
				h := http.Header{}
				if tt.origin != "" {
					h.Set("Origin", tt.origin)
				}
				d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 2 * time.Second}
				c, resp, err := d.Dial("ws://"+host+"/graphql", h)
				if c != nil {
					c.Close()
				}
				if resp == nil {
					t.Fatalf("no response: %v", err)
				}
				want := http.StatusForbidden
				if tt.ok {
					want = http.StatusSwitchingProtocols
				}
				if resp.StatusCode != want {
					t.Errorf("Origin %q: status %d, want %d", tt.origin, resp.StatusCode, want)
				}
				// HTTP's CORS answers the same question the same way.
				if tt.origin != "" && !strings.Contains(tt.origin, host) && tt.origin != "null" {
					req := httptest.NewRequest("OPTIONS", "/graphql", nil)
					req.Header.Set("Origin", tt.origin)
					req.Header.Set("Access-Control-Request-Method", "POST")
					allowed := serve(newHandler(r, policy, logger), req).Header().Get("Access-Control-Allow-Origin") != ""
					if allowed != tt.ok {
						t.Errorf("Origin %q: CORS allows=%v, websocket allows=%v", tt.origin, allowed, tt.ok)
					}
				}
			})
		}
		srv.Close()
	}
}
