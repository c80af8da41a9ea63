package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// userError is a typed error from a mutation payload.
type userError struct {
	Code    string
	Message string
	Field   *string
}

// gqlError is a top-level GraphQL error.
type gqlError struct {
	Message    string
	Extensions map[string]any
}

// client speaks GraphQL over HTTP to one server, as one signed-in user.
type client struct {
	url   string
	token string
}

func newClient(url, token string) *client { return &client{url: url, token: token} }

// as returns a client for the same user against another server replica.
func (c *client) as(url string) *client { return &client{url: url, token: c.token} }

// do posts a query and decodes data into out; it returns top-level errors.
func (c *client) do(ctx context.Context, query string, vars map[string]any, out any) ([]gqlError, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var envelope struct {
		Data   json.RawMessage
		Errors []gqlError
	}
	if err := json.NewDecoder(resp.Body).Decode(&envelope); err != nil {
		return nil, fmt.Errorf("decode response (HTTP %d): %w", resp.StatusCode, err)
	}
	if out != nil && len(envelope.Data) > 0 && string(envelope.Data) != "null" {
		if err := json.Unmarshal(envelope.Data, out); err != nil {
			return envelope.Errors, fmt.Errorf("decode data: %w", err)
		}
	}
	return envelope.Errors, nil
}

// mustDo is do that fails t on any error.
func (c *client) mustDo(t testing.TB, query string, vars map[string]any, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	errs, err := c.do(ctx, query, vars, out)
	if err != nil {
		t.Fatalf("graphql: %v", err)
	}
	if len(errs) > 0 {
		t.Fatalf("graphql errors: %+v\nquery: %s", errs, query)
	}
}

// subscription is one graphql-transport-ws subscription on its own socket.
type subscription struct {
	conn   *websocket.Conn
	events chan json.RawMessage
	done   chan error
}

// subscribe opens a websocket, authenticates in connection_init, starts one
// subscription and streams its "next" payloads' data. The socket closes when
// t ends.
func (c *client) subscribe(t testing.TB, query string, vars map[string]any) *subscription {
	t.Helper()
	wsURL := "ws" + strings.TrimPrefix(c.url, "http") + "/graphql"
	header := http.Header{"Origin": {"http://localhost:8080"}}
	dialer := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 10 * time.Second}
	conn, resp, err := dialer.DialContext(t.Context(), wsURL, header)
	if err != nil {
		t.Fatalf("websocket dial: %v (response %v)", err, resp)
	}
	t.Cleanup(func() { conn.Close() })
	s := &subscription{conn: conn, events: make(chan json.RawMessage, 1024), done: make(chan error, 1)}

	init := map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": "Bearer " + c.token}}
	if err := conn.WriteJSON(init); err != nil {
		t.Fatalf("connection_init: %v", err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var ack struct{ Type string }
	if err := conn.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("want connection_ack, got %q (%v)", ack.Type, err)
	}
	conn.SetReadDeadline(time.Time{})
	sub := map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}}
	if err := conn.WriteJSON(sub); err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	go s.read()
	return s
}

func (s *subscription) read() {
	defer close(s.events)
	for {
		var msg struct {
			Type    string
			ID      string
			Payload json.RawMessage
		}
		if err := s.conn.ReadJSON(&msg); err != nil {
			s.done <- err
			return
		}
		switch msg.Type {
		case "next":
			var p struct {
				Data   json.RawMessage
				Errors []gqlError
			}
			if err := json.Unmarshal(msg.Payload, &p); err != nil || len(p.Errors) > 0 {
				s.done <- fmt.Errorf("subscription error: %s", msg.Payload)
				return
			}
			s.events <- p.Data
		case "ping":
			_ = s.conn.WriteJSON(map[string]string{"type": "pong"})
		case "error":
			s.done <- fmt.Errorf("subscription error: %s", msg.Payload)
			return
		case "complete":
			s.done <- nil
			return
		}
	}
}

// next waits for the next event, failing t after timeout.
func (s *subscription) next(t testing.TB, timeout time.Duration, out any) {
	t.Helper()
	select {
	case data, ok := <-s.events:
		if !ok {
			t.Fatalf("subscription ended: %v", <-s.done)
		}
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("decode event %s: %v", data, err)
		}
	case <-time.After(timeout):
		t.Fatalf("no subscription event within %s", timeout)
	}
}
