package gqlclient

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestDoFromSourceAddress: the server sees the client's own loopback
// address and its token, and top-level errors come back typed, with the
// data that came with them.
func TestDoFromSourceAddress(t *testing.T) {
	src := SourceAddress(3)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		if host != src.String() || r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, "wrong client "+host, http.StatusBadRequest)
			return
		}
		w.Write([]byte(`{"data":{"me":{"id":"cus_1"}},"errors":[{"message":"slow down","extensions":{"code":"RATE_LIMITED"}}]}`))
	}))
	defer srv.Close()
	c := New(srv.URL, src)
	c.Token = "tok"
	var out struct{ Me struct{ ID string } }
	err := c.Do(t.Context(), `{ me { id } }`, nil, &out)
	var rerr *ResponseError
	if !errors.As(err, &rerr) || rerr.Errors[0].Extensions["code"] != "RATE_LIMITED" {
		t.Fatalf("err %v, want a ResponseError with RATE_LIMITED", err)
	}
	if out.Me.ID != "cus_1" {
		t.Fatalf("data %+v not decoded alongside the errors", out)
	}
}

// TestSocketProtocol runs the client against a scripted graphql-transport-ws
// server: init with the token, ack, a ping the client must answer, then a
// next for the subscription.
func TestSocketProtocol(t *testing.T) {
	pong := make(chan bool, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		up := websocket.Upgrader{Subprotocols: []string{protocol}}
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		var init struct {
			Type    string
			Payload map[string]string
		}
		if conn.ReadJSON(&init) != nil || init.Type != "connection_init" || init.Payload["authorization"] != "Bearer tok" {
			return
		}
		conn.WriteJSON(map[string]string{"type": "connection_ack"})
		var sub struct{ ID, Type string }
		if conn.ReadJSON(&sub) != nil || sub.Type != "subscribe" {
			return
		}
		conn.WriteJSON(map[string]string{"type": "ping"})
		var reply struct{ Type string }
		conn.ReadJSON(&reply)
		pong <- reply.Type == "pong"
		conn.WriteJSON(map[string]any{"type": "next", "id": sub.ID, "payload": map[string]any{"data": map[string]int{"n": 7}}})
	}))
	defer srv.Close()
	c := New(srv.URL, nil)
	c.Token = "tok"
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s, err := c.Dial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Subscribe("1", "subscription { n }", nil); err != nil {
		t.Fatal(err)
	}
	m, err := s.Next(time.Now().Add(10 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if !<-pong {
		t.Fatal("the client did not answer the ping with a pong")
	}
	var data struct{ N int }
	if err := NextData(m, &data); err != nil || data.N != 7 || m.ID != "1" || m.ReceivedAt.IsZero() {
		t.Fatalf("message %+v data %+v err %v", m, data, err)
	}
	if err := NextData(Message{Type: "error", ID: "1", Payload: json.RawMessage(`[{"message":"no"}]`)}, &data); err == nil {
		t.Fatal("an error message decoded as data")
	}
}
