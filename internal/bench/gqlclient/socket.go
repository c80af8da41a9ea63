package gqlclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Message is one graphql-transport-ws message from the server, stamped
// with the time it was read off the socket.
type Message struct {
	Type       string          `json:"type"`
	ID         string          `json:"id,omitempty"`
	Payload    json.RawMessage `json:"payload,omitempty"`
	ReceivedAt time.Time       `json:"-"`
}

// Socket is one graphql-transport-ws connection, acknowledged and signed in.
// It is used by one goroutine at a time (gorilla's rule: one reader, one
// writer; Next answers pings itself).
type Socket struct {
	conn *websocket.Conn
}

// protocol is the subprotocol of the graphql-ws library.
const protocol = "graphql-transport-ws"

// Dial opens a websocket to the server's /graphql, sends connection_init with
// the client's token and waits for connection_ack.
func (c *Client) Dial(ctx context.Context) (*Socket, error) {
	d := websocket.Dialer{
		NetDialContext:   c.dialer.DialContext,
		Subprotocols:     []string{protocol},
		HandshakeTimeout: 10 * time.Second,
	}
	conn, resp, err := d.DialContext(ctx, "ws"+strings.TrimPrefix(c.URL, "http")+"/graphql", http.Header{})
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("websocket: dial: %w (HTTP %d)", err, resp.StatusCode)
		}
		return nil, fmt.Errorf("websocket: dial: %w", err)
	}
	s := &Socket{conn: conn}
	payload := map[string]any{}
	if c.Token != "" {
		payload["authorization"] = "Bearer " + c.Token
	}
	if err := s.write(map[string]any{"type": "connection_init", "payload": payload}); err != nil {
		conn.Close()
		return nil, err
	}
	deadline := time.Now().Add(10 * time.Second)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	m, err := s.Next(deadline)
	if err != nil || m.Type != "connection_ack" {
		conn.Close()
		return nil, fmt.Errorf("websocket: want connection_ack, got %q: %v", m.Type, err)
	}
	return s, nil
}

// Subscribe starts the operation query under id.
func (s *Socket) Subscribe(id, query string, vars map[string]any) error {
	return s.write(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}})
}

// Complete stops the operation id.
func (s *Socket) Complete(id string) error {
	return s.write(map[string]any{"id": id, "type": "complete"})
}

// Next returns the next message other than a ping or pong, waiting until
// deadline (zero: for ever).
func (s *Socket) Next(deadline time.Time) (Message, error) {
	if err := s.conn.SetReadDeadline(deadline); err != nil {
		return Message{}, fmt.Errorf("websocket: %w", err)
	}
	for {
		_, data, err := s.conn.ReadMessage()
		at := time.Now()
		if err != nil {
			return Message{}, fmt.Errorf("websocket: read: %w", err)
		}
		var m Message
		if err := json.Unmarshal(data, &m); err != nil {
			return Message{}, fmt.Errorf("websocket: decode %q: %w", data, err)
		}
		m.ReceivedAt = at
		switch m.Type {
		case "ping":
			if err := s.write(map[string]string{"type": "pong"}); err != nil {
				return Message{}, err
			}
		case "pong":
		default:
			return m, nil
		}
	}
}

// Close closes the connection.
func (s *Socket) Close() error { return s.conn.Close() }

func (s *Socket) write(v any) error {
	if err := s.conn.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return fmt.Errorf("websocket: %w", err)
	}
	if err := s.conn.WriteJSON(v); err != nil {
		return fmt.Errorf("websocket: write: %w", err)
	}
	return nil
}

// NextData decodes a "next" message's payload: its data into out, its
// errors as a *ResponseError. Any other message type is an error.
func NextData(m Message, out any) error {
	switch m.Type {
	case "next":
	case "error":
		return fmt.Errorf("subscription %s: error %s", m.ID, m.Payload)
	case "complete":
		return fmt.Errorf("subscription %s: completed by the server", m.ID)
	default:
		return fmt.Errorf("subscription %s: unexpected %q message", m.ID, m.Type)
	}
	var p struct {
		Data   json.RawMessage `json:"data"`
		Errors []GraphQLError  `json:"errors"`
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		return fmt.Errorf("subscription %s: decode: %w", m.ID, err)
	}
	if len(p.Errors) > 0 {
		return &ResponseError{Status: http.StatusOK, Errors: p.Errors}
	}
	if err := json.Unmarshal(p.Data, out); err != nil {
		return fmt.Errorf("subscription %s: decode data: %w", m.ID, err)
	}
	return nil
}
