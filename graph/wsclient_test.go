package graph

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// wsClient is a minimal graphql-transport-ws client over gorilla/websocket.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

// serve starts a real HTTP server for the fixture's handler.
func (f *fixture) serve() *httptest.Server {
	srv := httptest.NewServer(f.handler)
	f.t.Cleanup(srv.Close)
	return srv
}

// dialWS opens a websocket with the graphql-transport-ws subprotocol.
func dialWS(t *testing.T, srv *httptest.Server, header http.Header) (*wsClient, *http.Response, error) {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{wsSubprotocol}, HandshakeTimeout: 5 * time.Second}
	conn, resp, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), header)
	if err != nil {
		return nil, resp, err
	}
	c := &wsClient{t: t, conn: conn}
	t.Cleanup(func() { _ = conn.Close() })
	return c, resp, nil
}

func mustDialWS(t *testing.T, srv *httptest.Server) *wsClient {
	t.Helper()
	c, _, err := dialWS(t, srv, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return c
}

func (c *wsClient) send(m wsMessage) {
	c.t.Helper()
	if err := c.conn.WriteJSON(m); err != nil {
		c.t.Fatalf("send %s: %v", m.Type, err)
	}
}

// read returns the next message, or the error (a *websocket.CloseError when
// the server closed the connection).
func (c *wsClient) read(timeout time.Duration) (wsMessage, error) {
	_ = c.conn.SetReadDeadline(time.Now().Add(timeout))
	var m wsMessage
	_, data, err := c.conn.ReadMessage()
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		c.t.Fatalf("server sent non-JSON %q", data)
	}
	return m, nil
}

// next returns the next message that is not a ping (answering pings).
func (c *wsClient) next() wsMessage {
	c.t.Helper()
	for {
		m, err := c.read(5 * time.Second)
		if err != nil {
			c.t.Fatalf("read: %v", err)
		}
		if m.Type == "ping" {
			c.send(wsMessage{Type: "pong"})
			continue
		}
		return m
	}
}

// init sends connection_init with a payload and expects the ack.
func (c *wsClient) init(payload map[string]any) {
	c.t.Helper()
	raw, _ := json.Marshal(payload)
	c.send(wsMessage{Type: "connection_init", Payload: raw})
	if m := c.next(); m.Type != "connection_ack" {
		c.t.Fatalf("expected connection_ack, got %+v", m)
	}
}

func (c *wsClient) initWith(token string) {
	c.t.Helper()
	if token == "" {
		c.init(nil)
		return
	}
	c.init(map[string]any{"authorization": "Bearer " + token})
}

func (c *wsClient) subscribe(id, query string, vars map[string]any) {
	c.t.Helper()
	raw, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	c.send(wsMessage{ID: id, Type: "subscribe", Payload: raw})
}

// expectClose reads until the server closes and checks the close code.
func (c *wsClient) expectClose(code int) {
	c.t.Helper()
	for {
		m, err := c.read(5 * time.Second)
		if err == nil {
			if m.Type == "ping" {
				continue
			}
			continue // messages before the close (an error, say) are fine
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) {
			c.t.Fatalf("expected close %d, got %v", code, err)
		}
		if ce.Code != code {
			c.t.Fatalf("close code %d (%q), want %d", ce.Code, ce.Text, code)
		}
		return
	}
}

// nextData is the decoded payload of a "next" message.
type nextData struct {
	Data   json.RawMessage
	Errors []gqlError
}

// expectNext reads a "next" message for id and decodes its data into v.
func (c *wsClient) expectNext(id string, v any) {
	c.t.Helper()
	m := c.next()
	if m.Type != "next" || m.ID != id {
		c.t.Fatalf("expected next for %s, got %s %s %s", id, m.Type, m.ID, m.Payload)
	}
	var p nextData
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		c.t.Fatal(err)
	}
	if len(p.Errors) > 0 {
		c.t.Fatalf("errors in next: %+v", p.Errors)
	}
	if v != nil {
		if err := json.Unmarshal(p.Data, v); err != nil {
			c.t.Fatal(err)
		}
	}
}
