package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// sessionEndBound is the API's promise: a signed-in websocket is closed
// with 4403 within 30 s of its session's end (logout or expiry).
const sessionEndBound = 30 * time.Second

// TestWebsocketSessionEnds: on the real server binary, logout reaches every
// signed-in websocket however it signed in, by the upgrade request's
// Authorization header or by connection_init: an operation started after
// logout is refused with 4403 at once (it changes nothing), and idle
// subscriptions are closed with 4403 within 30 s, with the server's default
// check interval. Another session of the same customer lives on.
func TestWebsocketSessionEnds(t *testing.T) {
	parallel(t)
	a := startApp(t, appOptions{})
	email := fmt.Sprintf("ws-logout-%d@example.com", time.Now().UnixNano())
	anon := newClient(a.servers[0].url, "")
	var reg struct{ Register struct{ Token *string } }
	anon.mustDo(t, `mutation($e: String!) { register(input: {email: $e, password: "correct horse battery", name: "Ws"}) { token } }`,
		map[string]any{"e": email}, &reg)
	if reg.Register.Token == nil {
		t.Fatal("register gave no token")
	}
	c := newClient(a.servers[0].url, *reg.Register.Token)
	other := a.login(t, email, "correct horse battery")
	p := cheapest(t, c, 1)

	byHeader := dialSocket(t, c, true)
	byInit := dialSocket(t, c, false)
	spare := dialSocket(t, c, true)
	otherSocket := dialSocket(t, other, false)
	for _, s := range []*socket{byHeader, byInit, otherSocket} {
		s.subscribe(t, "r", `subscription { rewardsUpdated { customerId } }`, nil)
		s.expectNext(t, "r")
	}

	var out struct{ Logout struct{ Revoked bool } }
	c.mustDo(t, `mutation { logout { revoked } }`, nil, &out)
	loggedOut := time.Now()
	if !out.Logout.Revoked {
		t.Fatal("logout revoked nothing")
	}

	spare.subscribe(t, "add", `mutation($p: ID!) { addToCart(input: {productId: $p, quantity: 1}) { errors { code } } }`, map[string]any{"p": p.ID})
	if code, _ := spare.awaitClose(t, 10*time.Second); code != 4403 {
		t.Errorf("an operation after logout: close %d, want 4403", code)
	}
	var cart struct{ Cart struct{ ItemCount int } }
	other.mustDo(t, `{ cart { itemCount } }`, nil, &cart)
	if cart.Cart.ItemCount != 0 {
		t.Errorf("the logged-out socket added to the cart: %d items", cart.Cart.ItemCount)
	}

	// Both watches run at once: each socket's close is timed as it comes.
	type closed struct {
		name string
		code int
		at   time.Time
	}
	results := make(chan closed, 2)
	for name, s := range map[string]*socket{"Authorization header": byHeader, "connection_init": byInit} {
		go func() {
			code, at := s.awaitClose(t, sessionEndBound+15*time.Second)
			results <- closed{name, code, at}
		}()
	}
	for range 2 {
		r := <-results
		after := r.at.Sub(loggedOut)
		t.Logf("signed in by %s: closed %d, %s after logout", r.name, r.code, after.Round(time.Millisecond))
		if r.code != 4403 || after > sessionEndBound {
			t.Errorf("signed in by %s: close %d %s after logout, want 4403 within %s", r.name, r.code, after, sessionEndBound)
		}
	}
	// The customer's other session is untouched.
	otherSocket.subscribe(t, "r2", `subscription { rewardsUpdated { customerId } }`, nil)
	otherSocket.expectNext(t, "r2")
}

// socket is a raw graphql-transport-ws connection for protocol-level
// checks: it answers pings and reports the close code.
type socket struct {
	conn *websocket.Conn
}

// dialSocket opens a websocket as c, signed in by the upgrade request's
// Authorization header (header) or by the connection_init payload, and
// waits for the ack.
func dialSocket(t testing.TB, c *client, header bool) *socket {
	t.Helper()
	h := http.Header{"Origin": {"http://localhost:8080"}}
	payload := map[string]any{}
	if header {
		h.Set("Authorization", "Bearer "+c.token)
	} else {
		payload["authorization"] = "Bearer " + c.token
	}
	dialer := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 10 * time.Second}
	conn, resp, err := dialer.DialContext(t.Context(), "ws"+strings.TrimPrefix(c.url, "http")+"/graphql", h)
	if err != nil {
		t.Fatalf("websocket dial: %v (response %v)", err, resp)
	}
	t.Cleanup(func() { conn.Close() })
	s := &socket{conn: conn}
	if err := conn.WriteJSON(map[string]any{"type": "connection_init", "payload": payload}); err != nil {
		t.Fatalf("connection_init: %v", err)
	}
	if m := s.read(t, 10*time.Second); m.Type != "connection_ack" {
		t.Fatalf("want connection_ack, got %+v", m)
	}
	return s
}

type socketMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// read returns the next message that is not a ping, answering pings.
func (s *socket) read(t testing.TB, timeout time.Duration) socketMessage {
	t.Helper()
	for {
		_ = s.conn.SetReadDeadline(time.Now().Add(timeout))
		var m socketMessage
		if err := s.conn.ReadJSON(&m); err != nil {
			t.Fatalf("websocket read: %v", err)
		}
		if m.Type == "ping" {
			_ = s.conn.WriteJSON(socketMessage{Type: "pong"})
			continue
		}
		return m
	}
}

func (s *socket) subscribe(t testing.TB, id, query string, vars map[string]any) {
	t.Helper()
	payload, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err := s.conn.WriteJSON(socketMessage{ID: id, Type: "subscribe", Payload: payload}); err != nil {
		t.Fatalf("subscribe: %v", err)
	}
}

// expectNext waits for a "next" of operation id without errors.
func (s *socket) expectNext(t testing.TB, id string) {
	t.Helper()
	m := s.read(t, 10*time.Second)
	if m.Type != "next" || m.ID != id || strings.Contains(string(m.Payload), `"errors"`) {
		t.Fatalf("want next for %s, got %s %s %s", id, m.Type, m.ID, m.Payload)
	}
}

// awaitClose reads (answering pings, ignoring other messages) until the
// server closes, and returns the close code and when it came; 0 if the
// socket ended without a close frame or stayed open past timeout.
func (s *socket) awaitClose(t testing.TB, timeout time.Duration) (int, time.Time) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		_ = s.conn.SetReadDeadline(deadline)
		var m socketMessage
		err := s.conn.ReadJSON(&m)
		if err == nil {
			if m.Type == "ping" {
				_ = s.conn.WriteJSON(socketMessage{Type: "pong"})
			}
			continue
		}
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code, time.Now()
		}
		t.Logf("websocket ended without a close frame: %v", err)
		return 0, time.Now()
	}
}
