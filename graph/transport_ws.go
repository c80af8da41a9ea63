package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/orderly-shop/orderly"
)

// The graphql-transport-ws protocol (the protocol of the graphql-ws library).
const (
	wsSubprotocol = "graphql-transport-ws"

	// Close codes of graphql-transport-ws.
	closeUnauthorized     = 4401
	closeForbidden        = 4403
	closeInitTimeout      = 4408
	closeSubscriberExists = 4409
	closeTooManyInits     = 4429
)

// wsMessage is the envelope of every graphql-transport-ws message.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// gorillaWebsocket implements gqlgen's transport.WebsocketImplementation over
// gorilla/websocket. gqlgen runs the protocol; the connections this returns
// add what the protocol demands and gqlgen leaves out: the 4408 init
// timeout, 4429 on a second connection_init, 4401 for a subscribe before
// init, 4409 for a reused operation ID, 4403 when a subscription is refused
// for lack of rights, a cap on concurrent operations per connection, and
// write deadlines so a stalled peer cannot block a writer forever.
type gorillaWebsocket struct {
	upgrader         websocket.Upgrader
	initTimeout      time.Duration
	writeTimeout     time.Duration
	maxSubscriptions int
	// checkSession says whether the session behind an Authorization value
	// is still live; every sessionRecheck a signed-in connection asks it,
	// and closes with 4403 once logout (or expiry) has ended the session.
	checkSession   func(ctx context.Context, authorization string) error
	sessionRecheck time.Duration
}

var _ transport.WebsocketImplementation = (*gorillaWebsocket)(nil)

// Accept implements transport.WebsocketImplementation.
func (g *gorillaWebsocket) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	up := g.upgrader
	up.Subprotocols = []string{wsSubprotocol}
	conn, err := up.Upgrade(w, r, opts.ResponseHeader)
	if err != nil {
		return nil, fmt.Errorf("graph: websocket upgrade: %w", err)
	}
	c := &wsConn{conn: conn, g: g, ctx: r.Context(), active: map[string]bool{}, done: make(chan struct{})}
	c.mu.Lock()
	c.initTimer = time.AfterFunc(g.initTimeout, c.initTimedOut)
	c.mu.Unlock()
	return c, nil
}

// wsConn is one websocket connection.
type wsConn struct {
	conn *websocket.Conn
	g    *gorillaWebsocket
	// ctx is the upgrade request's context: it ends when the handler returns.
	ctx  context.Context
	done chan struct{} // closed by Close

	writeMu sync.Mutex // gorilla allows one writer at a time

	mu        sync.Mutex
	inited    bool
	closed    bool
	active    map[string]bool // operation IDs the client started and the server has not ended
	initTimer *time.Timer
}

var (
	_ transport.WebsocketConn          = (*wsConn)(nil)
	_ transport.WebsocketReadLimiter   = (*wsConn)(nil)
	_ transport.WebsocketReadDeadliner = (*wsConn)(nil)
)

// NextReader implements transport.WebsocketConn. It reads whole messages
// (bounded by the read limit) so that it can police the protocol before
// gqlgen sees them.
func (c *wsConn) NextReader() (int, io.Reader, error) {
	for {
		mt, data, err := c.conn.ReadMessage()
		if err != nil {
			if websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived) {
				return 0, nil, transport.ErrWebsocketClosed
			}
			return 0, nil, err
		}
		var m wsMessage
		if json.Unmarshal(data, &m) == nil {
			if pass, err := c.police(m); err != nil {
				return 0, nil, err
			} else if !pass {
				continue
			}
		}
		return mt, bytes.NewReader(data), nil
	}
}

// police applies the protocol rules gqlgen does not. It returns pass=false
// for a message it answered itself, and an error once it closed the socket.
func (c *wsConn) police(m wsMessage) (pass bool, err error) {
	c.mu.Lock()
	switch m.Type {
	case "connection_init":
		if c.inited {
			c.mu.Unlock()
			return false, c.closeWith(closeTooManyInits, "Too many initialisation requests")
		}
		c.inited = true
		c.initTimer.Stop()
		var p transport.InitPayload
		if json.Unmarshal(m.Payload, &p) == nil && c.g.checkSession != nil {
			if auth := initAuthorization(p); auth != "" {
				go c.watchSession(auth)
			}
		}
	case "subscribe":
		switch {
		case !c.inited:
			c.mu.Unlock()
			return false, c.closeWith(closeUnauthorized, "Unauthorized")
		case c.active[m.ID]:
			c.mu.Unlock()
			return false, c.closeWith(closeSubscriberExists, "Subscriber for "+truncate(m.ID, 64)+" already exists")
		case len(c.active) >= c.g.maxSubscriptions:
			c.mu.Unlock()
			c.refuse(m.ID, fmt.Sprintf("too many operations on this connection (at most %d)", c.g.maxSubscriptions))
			return false, nil
		}
		c.active[m.ID] = true
	}
	c.mu.Unlock()
	return true, nil
}

// refuse ends one operation with an error message, as if it had failed.
func (c *wsConn) refuse(id, message string) {
	payload, _ := json.Marshal([]map[string]any{{"message": message, "extensions": map[string]any{"code": "RATE_LIMITED"}}})
	_ = c.write(wsMessage{ID: id, Type: "error", Payload: payload})
}

// WriteJSON implements transport.WebsocketConn. It tracks the end of
// operations, and closes the connection with 4403 when an operation was
// refused as a whole for lack of rights (see deniedAccess).
func (c *wsConn) WriteJSON(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("graph: websocket encode: %w", err)
	}
	var m wsMessage
	_ = json.Unmarshal(data, &m)
	if m.Type == "complete" || m.Type == "error" {
		// Forget the operation before the client can learn that it ended,
		// so that it may start another at once.
		c.mu.Lock()
		delete(c.active, m.ID)
		c.mu.Unlock()
	}
	if err := c.writeRaw(data); err != nil {
		return err
	}
	if (m.Type == "next" || m.Type == "error") && deniedAccess(m.Type, m.Payload) {
		return c.closeWith(closeForbidden, "Forbidden")
	}
	return nil
}

// wsError is the part of a GraphQL error that deniedAccess looks at.
type wsError struct {
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// deniedAccess reports whether a message says that the caller may not run
// the operation at all: no data, and an error from @auth (UNAUTHORIZED or
// FORBIDDEN). A field refused inside otherwise served data does not count.
func deniedAccess(msgType string, payload json.RawMessage) bool {
	var errs []wsError
	if msgType == "next" {
		var resp struct {
			Data   json.RawMessage `json:"data"`
			Errors []wsError       `json:"errors"`
		}
		if json.Unmarshal(payload, &resp) != nil || (len(resp.Data) > 0 && string(resp.Data) != "null") {
			return false
		}
		errs = resp.Errors
	} else if json.Unmarshal(payload, &errs) != nil {
		return false
	}
	return slices.ContainsFunc(errs, func(e wsError) bool {
		return e.Extensions.Code == "UNAUTHORIZED" || e.Extensions.Code == "FORBIDDEN"
	})
}

func (c *wsConn) write(m wsMessage) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return c.writeRaw(data)
}

func (c *wsConn) writeRaw(data []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_ = c.conn.SetWriteDeadline(time.Now().Add(c.g.writeTimeout))
	return c.conn.WriteMessage(websocket.TextMessage, data)
}

// WriteClose implements transport.WebsocketConn.
func (c *wsConn) WriteClose(code int, message string) error {
	msg := websocket.FormatCloseMessage(code, truncate(message, 100))
	return c.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(c.g.writeTimeout))
}

// closeWith sends a close frame with a protocol code and drops the
// connection; gqlgen then sees the read fail and cancels every operation.
func (c *wsConn) closeWith(code int, reason string) error {
	_ = c.WriteClose(code, reason)
	_ = c.Close()
	return transport.ErrWebsocketClosed
}

// initTimedOut closes a connection that sent no connection_init in time.
func (c *wsConn) initTimedOut() {
	c.mu.Lock()
	inited := c.inited
	c.mu.Unlock()
	if !inited {
		_ = c.closeWith(closeInitTimeout, "Connection initialisation timeout")
	}
}

// Close implements transport.WebsocketConn.
func (c *wsConn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.initTimer.Stop()
	close(c.done)
	c.mu.Unlock()
	return c.conn.Close()
}

// watchSession closes the connection with 4403 once the session it was
// opened with has ended, so that logout reaches open subscriptions too. A
// failed check for any other reason (the store briefly away) keeps it open.
func (c *wsConn) watchSession(authorization string) {
	t := time.NewTicker(c.g.sessionRecheck)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-c.ctx.Done():
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(c.ctx, 5*time.Second)
		err := c.g.checkSession(ctx, authorization)
		cancel()
		if orderly.ErrorCode(err) == orderly.EUNAUTHORIZED {
			_ = c.closeWith(closeForbidden, "Forbidden: the session has ended")
			return
		}
	}
}

// Subprotocol implements transport.WebsocketConn.
func (c *wsConn) Subprotocol() string { return c.conn.Subprotocol() }

// SetReadLimit implements transport.WebsocketReadLimiter.
func (c *wsConn) SetReadLimit(limit int64) { c.conn.SetReadLimit(limit) }

// SetReadDeadline implements transport.WebsocketReadDeadliner; gqlgen uses it
// to drop peers that stop answering pings.
func (c *wsConn) SetReadDeadline(t time.Time) error { return c.conn.SetReadDeadline(t) }
