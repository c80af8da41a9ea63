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

	"go.mongodb.org/mongo-driver/v2/bson"
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

// commandMsg builds an OP_MSG whose body is doc.
func commandMsg(id int32, doc bson.D) message {
	return sections{body: mustMarshal(doc)}.encode(id, 0)
}

// TestGateLetsReadsPassAWrite holds the gate, as a write in flight does,
// and shows that reads still get through while a write waits.
func TestGateLetsReadsPassAWrite(t *testing.T) {
	backend := startBackend(t, 0, false)
	addr, g, _ := startGateWith(t, backend.addr)

	release, err := g.turns.acquire(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	writer := dial(t, addr)
	update := bson.D{{Key: "update", Value: "c"}, {Key: "updates", Value: bson.A{}}, {Key: "$db", Value: "d"}}
	if _, err := writer.Write(commandMsg(1, update)); err != nil {
		t.Fatal(err)
	}

	reads := []bson.D{
		{{Key: "find", Value: "c"}, {Key: "filter", Value: bson.D{{Key: "_id", Value: "x"}}}, {Key: "$db", Value: "d"}},
		{{Key: "aggregate", Value: "c"}, {Key: "pipeline", Value: bson.A{bson.D{{Key: "$match", Value: bson.D{}}}}}, {Key: "cursor", Value: bson.D{}}, {Key: "$db", Value: "d"}},
		{{Key: "count", Value: "c"}, {Key: "$db", Value: "d"}},
		{{Key: "getMore", Value: int64(1)}, {Key: "collection", Value: "c"}, {Key: "$db", Value: "d"}},
		{{Key: "listCollections", Value: 1}, {Key: "$db", Value: "d"}},
		{{Key: "hello", Value: 1}, {Key: "$db", Value: "admin"}},
	}
	reader := dial(t, addr)
	r := bufio.NewReader(reader)
	for i, doc := range reads {
		// Were the gate in the way, this would block until the connection's
		// deadline and fail.
		id := int32(100 + i)
		if _, err := reader.Write(commandMsg(id, doc)); err != nil {
			t.Fatal(err)
		}
		reply, err := readMessage(r)
		if err != nil {
			t.Fatalf("%s: %v", doc[0].Key, err)
		}
		if reply.responseTo() != id {
			t.Fatalf("%s: reply answers %d", doc[0].Key, reply.responseTo())
		}
	}
	for range reads {
		if name := (<-backend.received).commandName(); name == "update" {
			t.Fatal("the update reached FerretDB while the gate was held")
		}
	}

	release()
	reply, err := readMessage(writer)
	if err != nil || reply.responseTo() != 1 {
		t.Fatalf("update after release: %v, answers %d", err, reply.responseTo())
	}
	if name := (<-backend.received).commandName(); name != "update" {
		t.Fatalf("backend received %q, want the update", name)
	}
}

func TestReadOnly(t *testing.T) {
	pipeline := func(stages ...bson.D) bson.D {
		arr := bson.A{}
		for _, s := range stages {
			arr = append(arr, s)
		}
		return bson.D{{Key: "aggregate", Value: "c"}, {Key: "pipeline", Value: arr}, {Key: "cursor", Value: bson.D{}}, {Key: "$db", Value: "d"}}
	}
	tests := []struct {
		name string
		doc  bson.D
		want bool
	}{
		{"find", bson.D{{Key: "find", Value: "c"}, {Key: "$db", Value: "d"}}, true},
		{"aggregate", pipeline(bson.D{{Key: "$match", Value: bson.D{}}}), true},
		{"aggregate $out", pipeline(bson.D{{Key: "$match", Value: bson.D{}}}, bson.D{{Key: "$out", Value: "x"}}), false},
		{"aggregate $merge", pipeline(bson.D{{Key: "$merge", Value: bson.D{{Key: "into", Value: "x"}}}}), false},
		{"aggregate without pipeline", bson.D{{Key: "aggregate", Value: "c"}, {Key: "$db", Value: "d"}}, false},
		{"insert", bson.D{{Key: "insert", Value: "c"}, {Key: "$db", Value: "d"}}, false},
		{"update", bson.D{{Key: "update", Value: "c"}, {Key: "$db", Value: "d"}}, false},
		{"findAndModify", bson.D{{Key: "findAndModify", Value: "c"}, {Key: "$db", Value: "d"}}, false},
		{"drop", bson.D{{Key: "drop", Value: "c"}, {Key: "$db", Value: "d"}}, false},
		{"collStats (runs ANALYZE)", bson.D{{Key: "collStats", Value: "c"}, {Key: "$db", Value: "d"}}, false},
		{"unknown", bson.D{{Key: "frobnicate", Value: 1}, {Key: "$db", Value: "d"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := newRequest(commandMsg(1, tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if got := readOnly(req.cmd); got != tt.want {
				t.Errorf("readOnly = %v, want %v", got, tt.want)
			}
		})
	}
}
