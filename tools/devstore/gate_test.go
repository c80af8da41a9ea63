package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeBackend is a wire-protocol server that answers each message after a
// pause and records how many requests it was handling at once.
type fakeBackend struct {
	addr        string
	pause       time.Duration
	hangUp      bool // close the connection instead of answering
	inFlight    atomic.Int32
	maxInFlight atomic.Int32
	received    chan message
}

func startBackend(t *testing.T, pause time.Duration, hangUp bool) *fakeBackend {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &fakeBackend{addr: ln.Addr().String(), pause: pause, hangUp: hangUp, received: make(chan message, 1000)}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { b.serve(c) })
		}
	})
	return b
}

func (b *fakeBackend) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		m, err := readMessage(r)
		if err != nil || b.hangUp {
			return
		}
		b.received <- m
		n := b.inFlight.Add(1)
		for old := b.maxInFlight.Load(); n > old && !b.maxInFlight.CompareAndSwap(old, n); old = b.maxInFlight.Load() {
		}
		time.Sleep(b.pause)
		b.inFlight.Add(-1)
		reply := newOpMsg(m.requestID()+1000, 0, "ok", false)
		binary.LittleEndian.PutUint32(reply[8:], uint32(m.requestID()))
		if _, err := c.Write(reply); err != nil {
			return
		}
	}
}

// startGate serves a gate in front of backend until the test ends.
func startGate(t *testing.T, backend string) (addr string, stop func()) {
	t.Helper()
	addr, _, stop = startGateWith(t, backend)
	return addr, stop
}

// startGateWith is startGate that also returns the gate, for tests that
// hold it themselves.
func startGateWith(t *testing.T, backend string) (addr string, g *gate, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	g = newGate(backend, gateOptions{timeout: 5 * time.Second, log: slog.New(slog.DiscardHandler)})
	done := make(chan error, 1)
	go func() { done <- g.serve(ctx, ln) }()
	stop = sync.OnceFunc(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("serve did not return")
		}
	})
	t.Cleanup(stop)
	return ln.Addr().String(), g, stop
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGateAdmitsOneRequestAtATime(t *testing.T) {
	tests := []struct {
		command     string
		wantOverlap bool
	}{
		{"update", false},
		{"getMore", true}, // ungated: shows the measurement can see overlap
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			backend := startBackend(t, 3*time.Millisecond, false)
			addr, _ := startGate(t, backend.addr)

			const clients, requests = 8, 10
			var wg sync.WaitGroup
			errs := make(chan error, clients)
			for i := range clients {
				c := dial(t, addr)
				wg.Go(func() { errs <- roundTrips(c, int32(i*requests), requests, tt.command) })
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if overlap := backend.maxInFlight.Load() > 1; overlap != tt.wantOverlap {
				t.Fatalf("max requests in flight = %d, want overlap %v", backend.maxInFlight.Load(), tt.wantOverlap)
			}
		})
	}
}

// roundTrips sends n requests on c and checks each reply answers its request.
func roundTrips(c net.Conn, firstID int32, n int, command string) error {
	r := bufio.NewReader(c)
	for id := firstID; id < firstID+int32(n); id++ {
		if _, err := c.Write(newOpMsg(id, 0, command, false)); err != nil {
			return err
		}
		reply, err := readMessage(r)
		if err != nil {
			return err
		}
		if reply.responseTo() != id {
			return errors.New("reply answers another request")
		}
	}
	return nil
}

func TestGateUnacknowledgedWriteWaitsButIsNotAnswered(t *testing.T) {
	backend := startBackend(t, 0, false)
	addr, _ := startGate(t, backend.addr)
	c := dial(t, addr)

	if _, err := c.Write(newOpMsg(1, msgMoreToCome, "insert", false)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write(newOpMsg(2, 0, "ping", false)); err != nil {
		t.Fatal(err)
	}
	reply, err := readMessage(c)
	if err != nil {
		t.Fatal(err)
	}
	if reply.responseTo() != 2 {
		t.Fatalf("first reply answers %d, want 2: the unacknowledged write leaked a reply", reply.responseTo())
	}
	if f, _ := (<-backend.received).flags(); f&msgMoreToCome != 0 {
		t.Fatal("backend saw moreToCome: the gate could not know when the write ended")
	}
}

func TestGateClosesClientWhenBackendHangsUp(t *testing.T) {
	backend := startBackend(t, 0, true)
	addr, _ := startGate(t, backend.addr)
	c := dial(t, addr)

	if _, err := c.Write(newOpMsg(1, 0, "ping", false)); err != nil {
		t.Fatal(err)
	}
	if _, err := readMessage(c); !errors.Is(err, io.EOF) {
		t.Fatalf("read = %v, want EOF", err)
	}
}

func TestGateStopClosesIdleConnections(t *testing.T) {
	backend := startBackend(t, 0, false)
	addr, stop := startGate(t, backend.addr)
	c := dial(t, addr)
	if err := roundTrips(c, 1, 1, "ping"); err != nil {
		t.Fatal(err)
	}

	stop()
	if _, err := readMessage(c); !errors.Is(err, io.EOF) {
		t.Fatalf("read after stop = %v, want EOF", err)
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Fatal("gate still accepts after stop")
	}
}
