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
	closeBadRequest       = 4400
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
// gorilla/websocket. gqlgen runs the operations; the connections this
// returns hold the protocol to its document, which gqlgen does not (it
// closes with 1000 or 1002 where the protocol says 4400, runs a subscribe
// without an id, sends complete after error, and leaves a socket open for
// ever when it cannot read connection_init's payload). No maintained Go
// library implements graphql-transport-ws's server side over gorilla, so the
// policing is written here: every client message is checked
// (parseClientMessage, 4400), connection_init must come first (4401 for a
// subscribe before it, 4429 for a second one) and be acknowledged within the
// init timeout (4408), operation IDs are unique while active (4409), at most
// maxSubscriptions run at once, nothing follows an operation's end, a
// signed-in socket is closed with 4403 once its session ends, and writes
// have deadlines so a stalled peer cannot block a writer forever.
type gorillaWebsocket struct {
	upgrader         websocket.Upgrader
	initTimeout      time.Duration
	writeTimeout     time.Duration
	maxSubscriptions int
	// checkSession says whether the session behind an Authorization value
	// is still live. A signed-in connection asks it before every operation,
	// and sessions watches it meanwhile, closing it with 4403 once logout
	// (or expiry) has ended the session.
	checkSession func(ctx context.Context, authorization string) error
	sessions     *sessionWatch
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
	c := &wsConn{conn: conn, g: g, ctx: r.Context(), active: map[string]bool{}, ended: map[string]bool{}, done: make(chan struct{})}
	c.mu.Lock()
	c.initTimer = time.AfterFunc(g.initTimeout, c.initTimedOut)
	c.mu.Unlock()
	return c, nil
}

// wsConn is one websocket connection.
type wsConn struct {
	conn *websocket.Conn
	g    *gorillaWebsocket
	// ctx is the upgrade request's context (with the customer of its
	// Authorization header, if any): it ends when the handler returns.
	ctx  context.Context
	done chan struct{} // closed by Close

	writeMu sync.Mutex // gorilla allows one writer at a time

	mu     sync.Mutex
	inited bool // connection_init received
	acked  bool // connection_ack sent
	closed bool
	// authorization is the credential the connection runs on (see
	// connectionAuthorization); "" when anonymous.
	authorization string
	// watched is set while sessions watches the connection.
	watched bool
	// active holds the operation IDs the client started and the server has
	// not ended; ended those whose end the server announced with error or
	// the client asked for with complete: whatever gqlgen still sends for
	// them (a complete after the error, a result after the client's
	// complete) is dropped, as the protocol wants nothing after the end.
	// A new subscribe with the same ID starts afresh.
	active    map[string]bool
	ended     map[string]bool
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
		if mt != websocket.TextMessage {
			return 0, nil, c.closeWith(closeBadRequest, "Invalid message received: messages are text frames")
		}
		m, err := parseClientMessage(data)
		if err != nil {
			return 0, nil, c.closeWith(closeBadRequest, "Invalid message received: "+err.Error())
		}
		if pass, err := c.police(m); err != nil {
			return 0, nil, err
		} else if !pass {
			continue
		}
		return mt, bytes.NewReader(data), nil
	}
}

// police applies the protocol's rules to a well-formed message. It returns
// pass=false for a message it answered itself, and an error once it closed
// the socket. It never holds mu while it writes, closes or asks the store.
func (c *wsConn) police(m wsMessage) (pass bool, err error) {
	c.mu.Lock()
	inited := c.inited
	switch m.Type {
	case msgConnectionInit:
		if inited {
			c.mu.Unlock()
			return false, c.closeWith(closeTooManyInits, "Too many initialisation requests")
		}
		c.inited = true
		var p transport.InitPayload
		_ = json.Unmarshal(m.Payload, &p) // an object or null: parseClientMessage checked
		c.authorization = connectionAuthorization(c.ctx, p)
		c.mu.Unlock()
		return true, nil
	case msgPing, msgPong, msgComplete:
		if inited && m.Type == msgComplete && c.active[m.ID] {
			delete(c.active, m.ID)
			c.ended[m.ID] = true
		}
		c.mu.Unlock()
		if inited {
			return true, nil
		}
		// Before connection_init gqlgen knows only connection_init; the
		// protocol allows these at any time.
		if m.Type == msgPing {
			_ = c.write(wsMessage{Type: msgPong})
		}
		return false, nil
	}
	// subscribe
	active, running, authorization := c.active[m.ID], len(c.active), c.authorization
	c.mu.Unlock()
	switch {
	case !inited:
		return false, c.closeWith(closeUnauthorized, "Unauthorized")
	case active:
		return false, c.closeWith(closeSubscriberExists, "Subscriber for "+truncate(m.ID, 64)+" already exists")
	case running >= c.g.maxSubscriptions:
		c.refuse(m.ID, fmt.Sprintf("too many operations on this connection (at most %d)", c.g.maxSubscriptions))
		return false, nil
	case authorization != "" && c.sessionEnded(authorization):
		return false, c.closeWith(closeForbidden, "Forbidden: the session has ended")
	}
	c.mu.Lock()
	delete(c.ended, m.ID)
	c.active[m.ID] = true
	c.mu.Unlock()
	return true, nil
}

// sessionEnded asks whether the session behind authorization is over, so
// that a logged-out token starts no operation, as it could not over HTTP. A
// check that fails for another reason (the store briefly away) says no.
func (c *wsConn) sessionEnded(authorization string) bool {
	if c.g.checkSession == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(c.ctx, 5*time.Second)
	defer cancel()
	return orderly.ErrorCode(c.g.checkSession(ctx, authorization)) == orderly.EUNAUTHORIZED
}

// refuse ends one operation with an error message, as if it had failed.
func (c *wsConn) refuse(id, message string) {
	payload, _ := json.Marshal([]map[string]any{{"message": message, "extensions": map[string]any{"code": "RATE_LIMITED"}}})
	_ = c.write(wsMessage{ID: id, Type: "error", Payload: payload})
}

// WriteJSON implements transport.WebsocketConn: every message gqlgen
// sends passes here. It starts the session watch at the ack, drops what
// follows an operation's end, and closes the connection with 4403 when an
// operation was refused as a whole for lack of rights (see deniedAccess).
func (c *wsConn) WriteJSON(v any) error {
	m, data, err := encodeOutgoing(v)
	if err != nil {
		return fmt.Errorf("graph: websocket encode: %w", err)
	}
	c.mu.Lock()
	switch m.Type {
	case msgConnectionAck:
		c.acked = true
		c.initTimer.Stop()
		if c.authorization != "" && c.g.sessions != nil && c.g.sessions.every > 0 && !c.closed {
			c.watched = true
			c.g.sessions.add(c.authorization, c)
		}
	case msgNext, msgError, msgComplete:
		if c.ended[m.ID] {
			if m.Type == msgComplete {
				delete(c.ended, m.ID) // gqlgen's last word on it
			}
			c.mu.Unlock()
			return nil
		}
		if m.Type != msgNext {
			// Forget the operation before the client can learn that it
			// ended, so that it may start another at once.
			delete(c.active, m.ID)
		}
		if m.Type == msgError {
			c.ended[m.ID] = true
		}
	}
	c.mu.Unlock()
	if err := c.writeRaw(data); err != nil {
		return err
	}
	if (m.Type == msgNext || m.Type == msgError) && deniedAccess(m.Type, m.Payload) {
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
// A result without errors (every live update) is told from its bytes alone.
func deniedAccess(msgType string, payload json.RawMessage) bool {
	var errs []wsError
	if msgType == "next" && !bytes.Contains(payload, []byte(`"errors"`)) {
		return false
	}
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

// initTimedOut closes a connection that is not acknowledged in time: it
// sent no connection_init, or its init is still being checked. The timer
// runs until the ack, not until the init arrives, so that no path through
// gqlgen's init (which can give up without closing) leaves a socket open.
func (c *wsConn) initTimedOut() {
	c.mu.Lock()
	acked := c.acked
	c.mu.Unlock()
	if !acked {
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
	watched, authorization := c.watched, c.authorization
	c.mu.Unlock()
	if watched {
		c.g.sessions.remove(authorization, c)
	}
	return c.conn.Close()
}

// Subprotocol implements transport.WebsocketConn.
func (c *wsConn) Subprotocol() string { return c.conn.Subprotocol() }

// SetReadLimit implements transport.WebsocketReadLimiter.
func (c *wsConn) SetReadLimit(limit int64) { c.conn.SetReadLimit(limit) }

// SetReadDeadline implements transport.WebsocketReadDeadliner; gqlgen uses it
// to drop peers that stop answering pings.
func (c *wsConn) SetReadDeadline(t time.Time) error { return c.conn.SetReadDeadline(t) }
