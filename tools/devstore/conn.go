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
)

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

	err = g.relay(ctx, client, backend, log)
	switch {
	case errors.Is(err, io.EOF), ctx.Err() != nil:
		log.Debug("connection closed")
	default:
		log.Warn("connection dropped", "err", err)
	}
}

// relay forwards requests one by one; each waits for its complete reply.
// It returns io.EOF when the client closes between requests.
func (g *gate) relay(ctx context.Context, client, backend net.Conn, log *slog.Logger) error {
	cr := bufio.NewReader(client)
	br := bufio.NewReader(backend)
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
		replies, err := g.roundTrip(ctx, backend, br, req)
		if err != nil {
			return err
		}
		if log.Enabled(ctx, slog.LevelDebug) {
			log.Debug("request", "command", m.commandName(), "opcode", m.opCode(),
				"gated", req.gated, "took", time.Since(start))
		}
		if !req.replyWanted {
			continue
		}
		if err := client.SetWriteDeadline(time.Now().Add(g.timeout)); err != nil {
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

// roundTrip sends req to the backend and reads its complete reply, holding
// the gate from the first byte sent to the last byte read when req is gated.
// Writing the reply to the client happens after release, so a slow client
// cannot hold everyone else up.
func (g *gate) roundTrip(ctx context.Context, backend net.Conn, br *bufio.Reader, req request) ([]message, error) {
	if req.gated {
		release, err := g.acquire(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
	}
	if err := backend.SetDeadline(time.Now().Add(g.timeout)); err != nil {
		return nil, fmt.Errorf("forward: %w", err)
	}
	if _, err := backend.Write(req.msg); err != nil {
		return nil, fmt.Errorf("forward: %w", err)
	}

	// newRequest cleared exhaustAllowed, so one reply is expected; should the
	// backend stream anyway, each message answers the previous one and the
	// last clears moreToCome. The deadline above bounds this loop.
	var replies []message
	want := req.msg.requestID()
	for {
		r, err := readMessage(br)
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
