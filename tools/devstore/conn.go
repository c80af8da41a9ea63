package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// session is one client connection and the backend connection that serves
// it. Its requests are handled one by one, so nothing in it is shared.
type session struct {
	g       *gate
	backend net.Conn
	br      *bufio.Reader
	log     *slog.Logger
	// lastID numbers the devstore's own requests to FerretDB. The backend
	// connection carries one exchange at a time, so they need only be
	// distinct from each other.
	lastID int32
}

// serveConn relays one client connection over its own backend connection
// until either side ends or ctx is done, then closes both.
func (g *gate) serveConn(ctx context.Context, client net.Conn) {
	defer client.Close()
	log := g.log.With("client", client.RemoteAddr().String())

	d := net.Dialer{Timeout: g.timeout}
	backend, err := d.DialContext(ctx, "tcp", g.backend)
	if err != nil {
		log.Error("connect to ferretdb", "err", err)
		return
	}
	defer backend.Close()
	stop := context.AfterFunc(ctx, func() {
		_ = client.Close()
		_ = backend.Close()
	})
	defer stop()

	s := &session{g: g, backend: backend, br: bufio.NewReader(backend), log: log}
	err = s.relay(ctx, client)
	switch {
	case errors.Is(err, io.EOF), ctx.Err() != nil:
		log.Debug("connection closed")
	default:
		log.Warn("connection dropped", "err", err)
	}
}

// relay answers requests one by one; each waits for its complete reply.
// It returns io.EOF when the client closes between requests.
func (s *session) relay(ctx context.Context, client net.Conn) error {
	cr := bufio.NewReader(client)
	for {
		// No deadline: a pooled connection may idle for as long as it likes.
		m, err := readMessage(cr)
		if err != nil {
			return err
		}
		req, err := newRequest(m)
		if err != nil {
			return err
		}
		start := time.Now()
		replies, err := s.handle(ctx, req)
		if err != nil {
			return err
		}
		if s.log.Enabled(ctx, slog.LevelDebug) {
			s.log.Debug("request", "command", req.cmd.name, "opcode", m.opCode(), "took", time.Since(start))
		}
		if !req.replyWanted {
			continue
		}
		if err := client.SetWriteDeadline(time.Now().Add(s.g.timeout)); err != nil {
			return fmt.Errorf("reply: %w", err)
		}
		bufs := make(net.Buffers, len(replies))
		for i, r := range replies {
			bufs[i] = r
		}
		if _, err := bufs.WriteTo(client); err != nil {
			return fmt.Errorf("reply: %w", err)
		}
	}
}

// handle produces the replies to req. A read goes straight to FerretDB;
// anything else holds its turn (its document's, or an exclusive one) from
// the first byte sent to the last byte read, and with it any rewrite, the
// duplicate-key translation and the index upkeep, so that each is atomic
// against every other write that could touch the same document.
// Writing the reply to the client happens after release, so a slow client
// cannot hold everyone else up.
func (s *session) handle(ctx context.Context, req request) ([]message, error) {
	if req.cmd.name == statsCommand {
		return []message{newReply(req.msg.requestID(), s.g.stats.document())}, nil
	}
	var u usage
	defer func() { s.g.stats.record(req.cmd.name, req.cmd.coll, u) }()

	rw := s.g.rewriteFor(req.cmd)
	if rw == nil && readOnly(req.cmd) {
		return s.forward(ctx, req.msg, &u)
	}

	u.gated = true
	key, keyed := docKey(req.cmd)
	u.keyed = keyed
	asked := time.Now()
	release, err := s.g.turns.acquire(ctx, key)
	if err != nil {
		return nil, err
	}
	held := time.Now()
	u.gateWait = held.Sub(asked)
	defer func() {
		release()
		u.gateHeld = time.Since(held)
	}()
	if rw != nil && !s.g.ids.known(req.cmd.db, req.cmd.coll) {
		// Dropped while this request waited: FerretDB answers it itself
		// (an update, for one, creates the collection again).
		rw = nil
	}

	var replies []message
	if rw != nil {
		replies, u.outcome, err = rw.run(ctx, s, req, &u)
	} else {
		replies, err = s.forward(ctx, req.msg, &u)
	}
	if err != nil {
		return nil, err
	}
	replies = s.g.translateDuplicate(req.cmd, replies, &u)
	s.g.ids.afterWrite(ctx, req.cmd)
	return replies, nil
}

// forward sends m to the backend and reads its complete reply.
func (s *session) forward(ctx context.Context, m message, u *usage) ([]message, error) {
	start := time.Now()
	defer func() {
		u.backend += time.Since(start)
		u.backendRequests++
	}()
	if err := s.backend.SetDeadline(time.Now().Add(s.g.timeout)); err != nil {
		return nil, fmt.Errorf("forward: %w", err)
	}
	if _, err := s.backend.Write(m); err != nil {
		return nil, fmt.Errorf("forward: %w", err)
	}

	// newRequest cleared exhaustAllowed, so one reply is expected; should the
	// backend stream anyway, each message answers the previous one and the
	// last clears moreToCome. The deadline above bounds this loop.
	var replies []message
	want := m.requestID()
	for {
		r, err := readMessage(s.br)
		if err != nil {
			return nil, fmt.Errorf("read reply: %w", noEOF(err))
		}
		if r.responseTo() != want {
			return nil, fmt.Errorf("read reply: responds to %d, want %d", r.responseTo(), want)
		}
		replies = append(replies, r)
		if !r.moreToCome() {
			return replies, nil
		}
		want = r.requestID()
	}
}

// call sends the devstore's own commands to the backend in one go and
// returns the body of each reply, in order. FerretDB handles a connection's
// messages one after another, so pipelining them saves a round trip each;
// the writer runs beside the reader so that neither can block the other
// however large the replies.
func (s *session) call(ctx context.Context, u *usage, cmds ...bson.Raw) ([]bson.Raw, error) {
	start := time.Now()
	defer func() {
		u.backend += time.Since(start)
		u.backendRequests += len(cmds)
	}()
	if err := s.backend.SetDeadline(time.Now().Add(s.g.timeout)); err != nil {
		return nil, fmt.Errorf("call: %w", err)
	}
	bufs := make(net.Buffers, len(cmds))
	first := s.lastID + 1
	for i, c := range cmds {
		s.lastID++
		bufs[i] = sections{body: c}.encode(s.lastID, 0)
	}
	written := make(chan error, 1)
	go func() {
		_, err := bufs.WriteTo(s.backend)
		written <- err
	}()

	bodies := make([]bson.Raw, len(cmds))
	var err error
	for i := range cmds {
		var r message
		if r, err = readMessage(s.br); err != nil {
			err = fmt.Errorf("call: read reply: %w", noEOF(err))
			break
		}
		if want := first + int32(i); r.responseTo() != want || r.moreToCome() {
			err = fmt.Errorf("call: reply responds to %d, want %d", r.responseTo(), want)
			break
		}
		if bodies[i], err = replyBody(r); err != nil {
			break
		}
	}
	if err != nil {
		// The connection is out of step with its requests now: closing it
		// ends the writer, and the client sees a dropped connection.
		_ = s.backend.Close()
		<-written
		return nil, err
	}
	if werr := <-written; werr != nil {
		return nil, fmt.Errorf("call: %w", werr)
	}
	return bodies, nil
}
