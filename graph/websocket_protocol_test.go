package graph

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/orderly-shop/orderly"
)

// TestWebsocketProtocolMessages sends one message of every kind, in each
// connection state, and checks the answer the graphql-transport-ws protocol
// document prescribes (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md):
// 4400 for anything it does not define, 4401 for subscribe before the ack,
// 4429 for a second connection_init, a pong for a ping, silence otherwise.
func TestWebsocketProtocolMessages(t *testing.T) {
	f := newFixture(t, func(o *HandlerOptions) { o.WebsocketInitTimeout = time.Second })
	srv := f.serve()
	const (
		text   = websocket.TextMessage
		binary = websocket.BinaryMessage
	)
	// want: a close code, "pong", or "quiet" (no answer, the connection
	// lives on: init still works before the ack, a ping still gets a pong
	// after it).
	tests := []struct {
		name  string
		acked bool
		kind  int
		msg   string
		want  any
	}{
		{"before init: non-JSON", false, text, `hello`, closeBadRequest},
		{"before init: binary frame", false, binary, `{"type":"connection_init"}`, closeBadRequest},
		{"before init: JSON that is not an object", false, text, `[{"type":"connection_init"}]`, closeBadRequest},
		{"before init: no type", false, text, `{"payload":{}}`, closeBadRequest},
		{"before init: numeric type", false, text, `{"type":1}`, closeBadRequest},
		{"before init: unknown type", false, text, `{"type":"start","id":"1"}`, closeBadRequest},
		{"before init: client connection_ack", false, text, `{"type":"connection_ack"}`, closeBadRequest},
		{"before init: client next", false, text, `{"type":"next","id":"1","payload":{}}`, closeBadRequest},
		{"before init: client error", false, text, `{"type":"error","id":"1","payload":[]}`, closeBadRequest},
		{"before init: subscribe", false, text, `{"type":"subscribe","id":"1","payload":{"query":"{ categories }"}}`, closeUnauthorized},
		{"before init: subscribe without id", false, text, `{"type":"subscribe","payload":{"query":"{ categories }"}}`, closeBadRequest},
		{"before init: ping", false, text, `{"type":"ping"}`, "pong"},
		{"before init: ping with a payload", false, text, `{"type":"ping","payload":{"at":1}}`, "pong"},
		{"before init: ping with a string payload", false, text, `{"type":"ping","payload":"x"}`, closeBadRequest},
		{"before init: pong", false, text, `{"type":"pong"}`, "quiet"},
		{"before init: complete", false, text, `{"type":"complete","id":"1"}`, "quiet"},
		{"before init: complete without id", false, text, `{"type":"complete"}`, closeBadRequest},
		{"after ack: non-JSON", true, text, `hello`, closeBadRequest},
		{"after ack: truncated JSON", true, text, `{"type":"ping"`, closeBadRequest},
		{"after ack: binary frame", true, binary, `{"type":"ping"}`, closeBadRequest},
		{"after ack: JSON that is not an object", true, text, `"ping"`, closeBadRequest},
		{"after ack: null", true, text, `null`, closeBadRequest},
		{"after ack: no type", true, text, `{"id":"1"}`, closeBadRequest},
		{"after ack: unknown type", true, text, `{"type":"stop","id":"1"}`, closeBadRequest},
		{"after ack: client connection_ack", true, text, `{"type":"connection_ack"}`, closeBadRequest},
		{"after ack: client next", true, text, `{"type":"next","id":"1","payload":{"data":{}}}`, closeBadRequest},
		{"after ack: client error", true, text, `{"type":"error","id":"1","payload":[]}`, closeBadRequest},
		{"after ack: second connection_init", true, text, `{"type":"connection_init"}`, closeTooManyInits},
		{"after ack: subscribe with a numeric id", true, text, `{"type":"subscribe","id":1,"payload":{"query":"{ categories }"}}`, closeBadRequest},
		{"after ack: subscribe with an empty id", true, text, `{"type":"subscribe","id":"","payload":{"query":"{ categories }"}}`, closeBadRequest},
		{"after ack: subscribe without a payload", true, text, `{"type":"subscribe","id":"1"}`, closeBadRequest},
		{"after ack: subscribe with a string payload", true, text, `{"type":"subscribe","id":"1","payload":"{ categories }"}`, closeBadRequest},
		{"after ack: subscribe with a numeric query", true, text, `{"type":"subscribe","id":"1","payload":{"query":1}}`, closeBadRequest},
		{"after ack: subscribe with array variables", true, text, `{"type":"subscribe","id":"1","payload":{"query":"{ categories }","variables":[1]}}`, closeBadRequest},
		{"after ack: complete with a numeric id", true, text, `{"type":"complete","id":1}`, closeBadRequest},
		{"after ack: complete without id", true, text, `{"type":"complete"}`, closeBadRequest},
		{"after ack: complete of an unknown operation", true, text, `{"type":"complete","id":"nope"}`, "quiet"},
		{"after ack: ping with a numeric id", true, text, `{"type":"ping","id":7}`, closeBadRequest},
		{"after ack: pong", true, text, `{"type":"pong"}`, "quiet"},
		{"after ack: ping", true, text, `{"type":"ping"}`, "pong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustDialWS(t, srv)
			if tt.acked {
				c.initWith(f.aliceToken)
			}
			c.sendRaw(tt.kind, tt.msg)
			switch want := tt.want.(type) {
			case int:
				c.expectCloseOnly(want)
			case string:
				if want == "pong" {
					if m := c.next(); m.Type != "pong" {
						t.Fatalf("want pong, got %+v", m)
					}
				}
				// The connection lives on and still follows the protocol.
				if !tt.acked {
					c.initWith(f.aliceToken)
				}
				c.send(wsMessage{Type: "ping"})
				if m := c.next(); m.Type != "pong" {
					t.Fatalf("after the message: %+v", m)
				}
			}
		})
	}
}

// TestWebsocketSubscribeWithoutIDIsNotRun: an operation without an ID is
// refused before it runs (the old transport ran it and sent its result
// under the empty ID).
func TestWebsocketSubscribeWithoutIDIsNotRun(t *testing.T) {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 2)
	srv := f.serve()
	for _, msg := range []string{
		`{"type":"subscribe","payload":{"query":"mutation { clearCart { cart { itemCount } } }"}}`,
		`{"type":"subscribe","id":"","payload":{"query":"mutation { clearCart { cart { itemCount } } }"}}`,
		`{"type":"subscribe","id":null,"payload":{"query":"mutation { clearCart { cart { itemCount } } }"}}`,
	} {
		c := mustDialWS(t, srv)
		c.initWith(f.aliceToken)
		writes := f.store.writes.Load()
		c.sendRaw(websocket.TextMessage, msg)
		c.expectCloseOnly(closeBadRequest)
		time.Sleep(50 * time.Millisecond) // what a running operation would need to write
		if n := f.store.writes.Load() - writes; n != 0 {
			t.Errorf("%s: the operation ran (%d writes)", msg, n)
		}
		cart, err := f.store.FindCart(context.Background(), f.alice.ID)
		if err != nil || len(cart.Lines) != 1 {
			t.Fatalf("%s: cart %+v, %v", msg, cart, err)
		}
	}
}

// TestWebsocketErrorEndsAnOperation: after an error message for an
// operation the server sends nothing more for it, no complete (the protocol:
// "If the server dispatched the Error message relative to the original
// Subscribe message, no Complete message will be emitted"); and after the
// client completes an operation the server sends nothing more for it either.
func TestWebsocketErrorEndsAnOperation(t *testing.T) {
	f := newFixture(t)
	srv := f.serve()
	c := mustDialWS(t, srv)
	c.initWith(f.aliceToken)
	for _, q := range []string{`{ nope }`, `{ products(`, `subscription { rewardsUpdated { nope } }`} {
		c.subscribe("bad", q, nil)
		if m := c.next(); m.Type != "error" || m.ID != "bad" {
			t.Fatalf("%s: want an error message, got %+v %s", q, m, m.Payload)
		}
		c.send(wsMessage{Type: "ping"})
		if m := c.next(); m.Type != "pong" {
			t.Fatalf("%s: after the error the server sent %+v %s", q, m, m.Payload)
		}
	}
	// The ID is free again: the same ID runs a new operation to its end.
	c.subscribe("bad", `{ categories }`, nil)
	c.expectNext("bad", nil)
	if m := c.next(); m.Type != "complete" || m.ID != "bad" {
		t.Fatalf("a query after the error: %+v", m)
	}

	c.subscribe("r", `subscription { rewardsUpdated { points } }`, nil)
	c.expectNext("r", nil)
	waitFor(t, func() bool { return f.store.feed.subscribers() == 1 })
	c.send(wsMessage{ID: "r", Type: "complete"})
	waitFor(t, func() bool { return f.store.feed.subscribers() == 0 })
	c.send(wsMessage{Type: "ping"})
	if m := c.next(); m.Type != "pong" {
		t.Fatalf("after the client's complete the server sent %+v", m)
	}
}

// TestWebsocketInitPayloads: connection_init's payload is an object or
// absent (or null); anything else is closed with 4400 at once, and every
// socket is acknowledged or closed within the init timeout (the old
// transport stopped the init timer, then gave up on a payload it could not
// decode without closing: the socket stayed open for ever).
func TestWebsocketInitPayloads(t *testing.T) {
	const timeout = 300 * time.Millisecond
	f := newFixture(t, func(o *HandlerOptions) { o.WebsocketInitTimeout = timeout })
	srv := f.serve()
	tests := []struct {
		name string
		msg  string
		want int // 0: acknowledged
	}{
		{"no payload", `{"type":"connection_init"}`, 0},
		{"null payload", `{"type":"connection_init","payload":null}`, 0},
		{"empty object", `{"type":"connection_init","payload":{}}`, 0},
		{"token", `{"type":"connection_init","payload":{"authorization":"Bearer ` + f.aliceToken + `"}}`, 0},
		{"string payload", `{"type":"connection_init","payload":"x"}`, closeBadRequest},
		{"array payload", `{"type":"connection_init","payload":[1]}`, closeBadRequest},
		{"number payload", `{"type":"connection_init","payload":1}`, closeBadRequest},
		{"boolean payload", `{"type":"connection_init","payload":true}`, closeBadRequest},
		{"numeric authorization", `{"type":"connection_init","payload":{"authorization":5}}`, 0},
		{"nothing at all", ``, closeInitTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustDialWS(t, srv)
			start := time.Now()
			if tt.msg != "" {
				c.sendRaw(websocket.TextMessage, tt.msg)
			}
			if tt.want == 0 {
				if m := c.next(); m.Type != "connection_ack" {
					t.Fatalf("want connection_ack, got %+v", m)
				}
			} else {
				c.expectCloseOnly(tt.want)
			}
			if d := time.Since(start); d > timeout+time.Second {
				t.Errorf("answered after %s; the init timeout is %s", d, timeout)
			}
		})
	}
}

// TestWebsocketInitNeverAcknowledged: a connection_init whose check never
// finishes (the store hangs) still ends within the init timeout, with 4408:
// the timer runs until the ack, not until the init arrives.
func TestWebsocketInitNeverAcknowledged(t *testing.T) {
	const timeout = 300 * time.Millisecond
	f := newFixture(t, func(o *HandlerOptions) { o.WebsocketInitTimeout = timeout })
	release := make(chan struct{})
	defer close(release)
	f.resolver.AccountService = hangingSessions{AccountService: f.store, release: release}
	srv := f.serve()
	c := mustDialWS(t, srv)
	start := time.Now()
	c.init0(map[string]any{"authorization": "Bearer " + f.aliceToken})
	c.expectCloseOnly(closeInitTimeout)
	if d := time.Since(start); d > timeout+time.Second {
		t.Errorf("closed after %s; the init timeout is %s", d, timeout)
	}
}

// hangingSessions is an AccountService whose session lookups wait until
// release is closed.
type hangingSessions struct {
	orderly.AccountService
	release chan struct{}
}

func (h hangingSessions) CustomerBySession(ctx context.Context, token string) (*orderly.Customer, error) {
	select {
	case <-h.release:
	case <-ctx.Done():
	}
	return nil, orderly.Errorf(orderly.EUNAVAILABLE, "store away")
}

// TestWebsocketHeaderAuthClosesAfterLogout: a socket that signed in with
// the upgrade request's Authorization header (no credentials in
// connection_init) is watched like one that signed in with connection_init:
// it is closed with 4403 at the first session check after logout, while a
// socket of another session stays open.
func TestWebsocketHeaderAuthClosesAfterLogout(t *testing.T) {
	f := newFixture(t, func(o *HandlerOptions) { o.SessionRecheckInterval = 50 * time.Millisecond })
	srv := f.serve()
	_, carol := f.account("carol@example.com", orderly.RoleCustomer)
	c, other := dialWithHeader(t, srv, carol), dialWithHeader(t, srv, f.bobToken)
	for _, ws := range []*wsClient{c, other} {
		ws.subscribe("r", `subscription { rewardsUpdated { customerId } }`, nil)
		ws.expectNext("r", nil)
	}
	time.Sleep(200 * time.Millisecond) // several checks pass while the session lives
	c.send(wsMessage{Type: "ping"})
	if m := c.next(); m.Type != "pong" {
		t.Fatalf("closed before logout: %+v", m)
	}

	f.ok(carol, `mutation { logout { revoked } }`, nil, nil)
	c.expectClose(closeForbidden)
	other.subscribe("r2", `subscription { rewardsUpdated { customerId } }`, nil)
	other.expectNext("r2", nil)
}

// TestWebsocketClosesAtSessionExpiry: a session that ends by expiry, not
// logout, closes its socket the same way, with 4403, at the next check.
func TestWebsocketClosesAtSessionExpiry(t *testing.T) {
	f := newFixture(t, func(o *HandlerOptions) { o.SessionRecheckInterval = 50 * time.Millisecond })
	sessions := &expiringSessions{AccountService: f.store}
	f.resolver.AccountService = sessions
	srv := f.serve()
	header, initPayload := dialWithHeader(t, srv, f.aliceToken), mustDialWS(t, srv)
	initPayload.initWith(f.aliceToken)
	time.Sleep(150 * time.Millisecond)
	for _, c := range []*wsClient{header, initPayload} {
		c.send(wsMessage{Type: "ping"})
		if m := c.next(); m.Type != "pong" {
			t.Fatalf("closed before expiry: %+v", m)
		}
	}
	sessions.expired.Store(true)
	header.expectClose(closeForbidden)
	initPayload.expectClose(closeForbidden)
}

// expiringSessions is an AccountService whose sessions all expire at once
// when expired is set, as the store's do at their ExpiresAt.
type expiringSessions struct {
	orderly.AccountService
	expired atomic.Bool
}

func (e *expiringSessions) CustomerBySession(ctx context.Context, token string) (*orderly.Customer, error) {
	if e.expired.Load() {
		return nil, orderly.Errorf(orderly.EUNAUTHORIZED, "session expired or unknown; sign in again")
	}
	return e.AccountService.CustomerBySession(ctx, token)
}

// TestWebsocketNoOperationAfterLogout: however a socket signed in (the
// upgrade's header or connection_init), an operation it starts after logout
// is refused with 4403 at once, without waiting for the periodic check.
func TestWebsocketNoOperationAfterLogout(t *testing.T) {
	f := newFixture(t, func(o *HandlerOptions) { o.SessionRecheckInterval = time.Hour })
	srv := f.serve()
	for _, how := range []string{"header", "connection_init"} {
		t.Run(how, func(t *testing.T) {
			_, token := f.account("dave-"+how+"@example.com", orderly.RoleCustomer)
			var c *wsClient
			if how == "header" {
				c = dialWithHeader(t, srv, token)
			} else {
				c = mustDialWS(t, srv)
				c.initWith(token)
			}
			c.subscribe("me", `{ me { id } }`, nil)
			c.expectNext("me", nil)
			_ = c.next() // complete
			f.ok(token, `mutation { logout { revoked } }`, nil, nil)
			writes := f.store.writes.Load()
			c.subscribe("add", `mutation($p: ID!) { addToCart(input: {productId: $p, quantity: 1}) { errors { code } } }`,
				map[string]any{"p": f.products[0].ID})
			c.expectCloseOnly(closeForbidden)
			if n := f.store.writes.Load() - writes; n != 0 {
				t.Errorf("the logged-out socket wrote %d times", n)
			}
		})
	}
}

// dialWithHeader opens a websocket signed in by the upgrade request's
// Authorization header and sends an empty connection_init.
func dialWithHeader(t *testing.T, srv *httptest.Server, token string) *wsClient {
	t.Helper()
	c, _, err := dialWS(t, srv, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatal(err)
	}
	c.init(nil)
	return c
}

// sendRaw writes one frame as it is.
func (c *wsClient) sendRaw(kind int, data string) {
	c.t.Helper()
	if err := c.conn.WriteMessage(kind, []byte(data)); err != nil {
		c.t.Fatalf("send %q: %v", data, err)
	}
}

// init0 sends connection_init without waiting for the ack.
func (c *wsClient) init0(payload map[string]any) {
	c.t.Helper()
	raw, _ := json.Marshal(payload)
	c.send(wsMessage{Type: "connection_init", Payload: raw})
}

// expectCloseOnly reads until the server closes, which must happen with
// code and without any message other than pings before it.
func (c *wsClient) expectCloseOnly(code int) {
	c.t.Helper()
	for {
		_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, data, err := c.conn.ReadMessage()
		if err == nil {
			var m wsMessage
			if json.Unmarshal(data, &m) == nil && m.Type == "ping" {
				continue
			}
			c.t.Fatalf("want close %d, got the message %s", code, data)
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) {
			c.t.Fatalf("want close %d, got %v", code, err)
		}
		if ce.Code != code {
			c.t.Fatalf("close code %d (%q), want %d", ce.Code, ce.Text, code)
		}
		return
	}
}
