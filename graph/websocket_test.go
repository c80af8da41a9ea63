package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

const orderUpdatedSubscription = `subscription($id: ID!) { orderUpdated(id: $id) {
  initial order { id status version timeline { version } } entry { version kind status } } }`

type orderEvent struct {
	OrderUpdated struct {
		Initial bool
		Order   struct {
			ID       string
			Status   string
			Version  int
			Timeline []struct{ Version int }
		}
		Entry struct {
			Version int
			Kind    string
			Status  string
		}
	}
}

// TestOrderUpdatedOrdering drives many rapid changes, with the feed dropping
// its subscribers half way, and checks that the subscriber sees the current
// state first and then every entry exactly once, in order.
func TestOrderUpdatedOrdering(t *testing.T) {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 1)
	id := f.placeOrder(f.aliceToken, "k")
	if err := f.store.advance(id, orderly.StatusValidated); err != nil {
		t.Fatal(err)
	}
	srv := f.serve()
	c := mustDialWS(t, srv)
	c.initWith(f.aliceToken)
	c.subscribe("1", orderUpdatedSubscription, map[string]any{"id": id})

	var ev orderEvent
	c.expectNext("1", &ev)
	if e := ev.OrderUpdated; !e.Initial || e.Order.Version != 2 || e.Entry.Version != 2 || e.Entry.Status != "VALIDATED" || len(e.Order.Timeline) != 2 {
		t.Fatalf("initial event: %+v", e)
	}

	const infos = 60
	go func() {
		ctx := context.Background()
		for i := range infos {
			if i == infos/2 {
				f.store.feed.dropAll()
			}
			if _, err := f.store.ApplyOrderEvent(ctx, id, orderly.OrderEvent{ID: fmt.Sprint("info-", i), Kind: orderly.EntryInfo, Detail: "tracking"}); err != nil {
				t.Error(err)
			}
		}
		if err := f.store.advance(id, orderly.StatusInventoryReserved, orderly.StatusPaid, orderly.StatusShipping,
			orderly.StatusShipped, orderly.StatusDelivered, orderly.StatusCompleted); err != nil {
			t.Error(err)
		}
	}()
	final := 2 + infos + 6
	for want := 3; want <= final; want++ {
		c.expectNext("1", &ev)
		e := ev.OrderUpdated
		if e.Initial || e.Entry.Version != want || e.Order.Version != want || len(e.Order.Timeline) != want || e.Order.Status != e.Entry.Status {
			t.Fatalf("event %d: %+v", want, e)
		}
	}
	if ev.OrderUpdated.Entry.Status != "COMPLETED" {
		t.Errorf("last status %s", ev.OrderUpdated.Entry.Status)
	}
	// Nothing more, no duplicate: a ping round trip proves the stream is idle.
	c.send(wsMessage{Type: "ping"})
	if m := c.next(); m.Type != "pong" {
		t.Errorf("after the last entry: %+v", m)
	}
}

func TestMyOrdersAndOrdersUpdated(t *testing.T) {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 1)
	aOrder := f.placeOrder(f.aliceToken, "a")
	f.addToCart(f.bob, f.products[1], 1)
	bOrder := f.placeOrder(f.bobToken, "b")
	srv := f.serve()

	alice := mustDialWS(t, srv)
	alice.initWith(f.aliceToken)
	alice.subscribe("mine", `subscription { myOrdersUpdated { id status version } }`, nil)
	ops := mustDialWS(t, srv)
	ops.initWith(f.adminToken)
	ops.subscribe("all", `subscription { ordersUpdated { id status version customer { id } } }`, nil)
	waitFor(t, func() bool { return f.store.feed.subscribers() == 2 })

	if err := f.store.advance(bOrder, orderly.StatusValidated); err != nil {
		t.Fatal(err)
	}
	if err := f.store.advance(aOrder, orderly.StatusValidated); err != nil {
		t.Fatal(err)
	}
	type order struct {
		ID, Status string
		Version    int
		Customer   struct{ ID string }
	}
	var mine struct{ MyOrdersUpdated order }
	alice.expectNext("mine", &mine)
	if mine.MyOrdersUpdated.ID != aOrder || mine.MyOrdersUpdated.Version != 2 {
		t.Errorf("alice got %+v", mine)
	}
	var all struct{ OrdersUpdated order }
	ops.expectNext("all", &all)
	if all.OrdersUpdated.ID != bOrder || all.OrdersUpdated.Customer.ID != f.bob.ID {
		t.Errorf("operator's first: %+v", all)
	}
	ops.expectNext("all", &all)
	if all.OrdersUpdated.ID != aOrder {
		t.Errorf("operator's second: %+v", all)
	}
	// Alice never heard of Bob's order.
	alice.send(wsMessage{Type: "ping"})
	if m := alice.next(); m.Type != "pong" {
		t.Errorf("alice got %+v", m)
	}
}

// TestOrdersUpdatedAfterLostChanges loses changes to the oldest of more
// orders than a page holds, then drops the subscribers: both multi-order
// subscriptions re-read every order updated since the drop, not only the
// newest page, and send each change once.
func TestOrdersUpdatedAfterLostChanges(t *testing.T) {
	f := newFixture(t)
	f.resolver.Now = f.store.clock
	const n = orderly.MaxPageSize + 30
	ids := make([]string, n)
	for i := range ids {
		ids[i] = f.storeOrder(f.alice, fmt.Sprint(i)).ID
	}
	srv := f.serve()
	alice := mustDialWS(t, srv)
	alice.initWith(f.aliceToken)
	alice.subscribe("mine", `subscription { myOrdersUpdated { id version } }`, nil)
	ops := mustDialWS(t, srv)
	ops.initWith(f.adminToken)
	ops.subscribe("all", `subscription { ordersUpdated { id version } }`, nil)
	waitFor(t, func() bool { return f.store.feed.subscribers() == 2 })

	oldest, newest := ids[0], ids[n-1]
	f.store.feed.lose(func() {
		if err := f.store.advance(oldest, orderly.StatusValidated); err != nil {
			t.Fatal(err)
		}
		if err := f.store.advance(newest, orderly.StatusValidated); err != nil {
			t.Fatal(err)
		}
	})
	type update struct {
		ID      string
		Version int
	}
	for _, c := range []struct {
		ws    *wsClient
		id    string
		field string
	}{{alice, "mine", "myOrdersUpdated"}, {ops, "all", "ordersUpdated"}} {
		var got []update
		for range 2 {
			var ev map[string]update
			c.ws.expectNext(c.id, &ev)
			got = append(got, ev[c.field])
		}
		if want := []update{{oldest, 2}, {newest, 2}}; !slices.Equal(got, want) {
			t.Errorf("%s after the drop: %+v, want %+v", c.field, got, want)
		}
		c.ws.send(wsMessage{Type: "ping"})
		if m := c.ws.next(); m.Type != "pong" {
			t.Errorf("%s sent more: %+v", c.field, m)
		}
	}
}

func TestRewardsUpdated(t *testing.T) {
	f := newFixture(t)
	srv := f.serve()
	c := mustDialWS(t, srv)
	c.initWith(f.aliceToken)
	c.subscribe("r", `subscription { rewardsUpdated { customerId points tier version } }`, nil)
	var ev struct {
		RewardsUpdated struct {
			CustomerID string
			Points     int
			Tier       string
			Version    int
		}
	}
	c.expectNext("r", &ev)
	if ev.RewardsUpdated.CustomerID != f.alice.ID || ev.RewardsUpdated.Version != 0 {
		t.Fatalf("initial: %+v", ev)
	}
	ctx := context.Background()
	_ = f.store.SaveRewards(ctx, &orderly.RewardsAccount{CustomerID: f.bob.ID, Points: 9, Tier: orderly.TierBasic, Version: 1})
	_ = f.store.SaveRewards(ctx, &orderly.RewardsAccount{CustomerID: f.alice.ID, Points: 600, Tier: orderly.TierSilver, Version: 1})
	c.expectNext("r", &ev)
	if ev.RewardsUpdated.Points != 600 || ev.RewardsUpdated.Tier != "SILVER" {
		t.Errorf("update: %+v", ev)
	}
}

// TestSubscriptionAuthorization: anonymous callers and customers asking for
// operator streams are closed with 4403; a customer asking for another's
// order gets NOT_FOUND for that operation only.
func TestSubscriptionAuthorization(t *testing.T) {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 1)
	aOrder := f.placeOrder(f.aliceToken, "a")
	srv := f.serve()
	subs := map[string]string{
		"orderUpdated":    `subscription($id: ID!) { orderUpdated(id: $id) { entry { version } } }`,
		"myOrdersUpdated": `subscription { myOrdersUpdated { id } }`,
		"rewardsUpdated":  `subscription { rewardsUpdated { points } }`,
		"ordersUpdated":   `subscription { ordersUpdated { id } }`,
	}
	vars := map[string]any{"id": aOrder}
	type want struct {
		caller string
		token  string
		sub    string
		result string // "next", "NOT_FOUND" (error message), "4403"
	}
	var cases []want
	for _, s := range []string{"orderUpdated", "myOrdersUpdated", "rewardsUpdated", "ordersUpdated"} {
		cases = append(cases, want{"anonymous", "", s, "4403"})
	}
	cases = append(cases,
		want{"A", f.aliceToken, "orderUpdated", "next"},
		want{"A", f.aliceToken, "rewardsUpdated", "next"},
		want{"A", f.aliceToken, "ordersUpdated", "4403"},
		want{"B", f.bobToken, "orderUpdated", "NOT_FOUND"},
		want{"B", f.bobToken, "rewardsUpdated", "next"},
		want{"B", f.bobToken, "ordersUpdated", "4403"},
		want{"operator", f.adminToken, "orderUpdated", "next"},
	)
	for _, tc := range cases {
		t.Run(tc.caller+"/"+tc.sub, func(t *testing.T) {
			c := mustDialWS(t, srv)
			c.initWith(tc.token)
			c.subscribe("s", subs[tc.sub], vars)
			switch tc.result {
			case "4403":
				c.expectClose(closeForbidden)
			case "next":
				c.expectNext("s", nil)
			case "NOT_FOUND":
				m := c.next()
				var p nextData
				_ = json.Unmarshal(m.Payload, &p)
				if m.Type != "next" || string(p.Data) != "null" || len(p.Errors) != 1 || p.Errors[0].code() != "NOT_FOUND" {
					t.Fatalf("got %s %s", m.Type, m.Payload)
				}
				if m := c.next(); m.Type != "complete" {
					t.Fatalf("after the error: %+v", m)
				}
				// The connection lives on.
				c.send(wsMessage{Type: "ping"})
				if m := c.next(); m.Type != "pong" {
					t.Fatalf("after NOT_FOUND: %+v", m)
				}
			}
		})
	}
}

func TestWebsocketProtocol(t *testing.T) {
	f := newFixture(t, func(o *HandlerOptions) {
		o.WebsocketInitTimeout = 200 * time.Millisecond
		o.WebsocketPingInterval = 100 * time.Millisecond
		o.MaxSubscriptionsPerConnection = 2
	})
	srv := f.serve()

	t.Run("init timeout closes with 4408", func(t *testing.T) {
		c := mustDialWS(t, srv)
		c.expectClose(closeInitTimeout)
	})
	t.Run("bad token closes with 4403", func(t *testing.T) {
		c := mustDialWS(t, srv)
		c.send(wsMessage{Type: "connection_init", Payload: json.RawMessage(`{"authorization":"Bearer nope"}`)})
		c.expectClose(closeForbidden)
	})
	t.Run("token field authenticates", func(t *testing.T) {
		c := mustDialWS(t, srv)
		c.init(map[string]any{"token": f.aliceToken})
		c.subscribe("1", `subscription { rewardsUpdated { customerId } }`, nil)
		var ev struct{ RewardsUpdated struct{ CustomerID string } }
		c.expectNext("1", &ev)
		if ev.RewardsUpdated.CustomerID != f.alice.ID {
			t.Errorf("got %+v", ev)
		}
	})
	t.Run("subscribe before init closes with 4401", func(t *testing.T) {
		c := mustDialWS(t, srv)
		c.subscribe("1", `subscription { rewardsUpdated { points } }`, nil)
		c.expectClose(closeUnauthorized)
	})
	t.Run("second init closes with 4429", func(t *testing.T) {
		c := mustDialWS(t, srv)
		c.initWith(f.aliceToken)
		c.send(wsMessage{Type: "connection_init"})
		c.expectClose(closeTooManyInits)
	})
	t.Run("reused operation id closes with 4409", func(t *testing.T) {
		c := mustDialWS(t, srv)
		c.initWith(f.aliceToken)
		c.subscribe("dup", `subscription { rewardsUpdated { points } }`, nil)
		c.expectNext("dup", nil)
		c.subscribe("dup", `subscription { rewardsUpdated { points } }`, nil)
		c.expectClose(closeSubscriberExists)
	})
	t.Run("client ping gets pong", func(t *testing.T) {
		c := mustDialWS(t, srv)
		c.initWith("")
		c.send(wsMessage{Type: "ping"})
		if m := c.next(); m.Type != "pong" {
			t.Fatalf("got %+v", m)
		}
	})
	t.Run("server pings and drops a peer that never pongs", func(t *testing.T) {
		c := mustDialWS(t, srv)
		c.initWith(f.aliceToken)
		c.subscribe("1", `subscription { rewardsUpdated { points } }`, nil)
		pings := 0
		start := time.Now()
		for {
			m, err := c.read(2 * time.Second)
			if err != nil {
				break // dropped
			}
			if m.Type == "ping" {
				pings++ // and never answer
			}
		}
		if pings == 0 || time.Since(start) > time.Second {
			t.Errorf("%d pings, dropped after %s", pings, time.Since(start))
		}
	})
	t.Run("a peer that pongs stays", func(t *testing.T) {
		c := mustDialWS(t, srv)
		c.initWith(f.aliceToken)
		deadline := time.Now().Add(600 * time.Millisecond)
		for time.Now().Before(deadline) {
			m, err := c.read(time.Second)
			if err != nil {
				t.Fatalf("dropped: %v", err)
			}
			if m.Type == "ping" {
				c.send(wsMessage{Type: "pong"})
			}
		}
	})
	t.Run("operations per connection are capped", func(t *testing.T) {
		c := mustDialWS(t, srv)
		c.initWith(f.aliceToken)
		for _, id := range []string{"a", "b"} {
			c.subscribe(id, `subscription { rewardsUpdated { points } }`, nil)
			c.expectNext(id, nil)
		}
		c.subscribe("c", `subscription { rewardsUpdated { points } }`, nil)
		m := c.next()
		if m.Type != "error" || m.ID != "c" {
			t.Fatalf("third operation: %+v %s", m, m.Payload)
		}
		// The client's complete frees the slot; the server sends nothing
		// more for that operation (no complete: the client ended it).
		c.send(wsMessage{ID: "a", Type: "complete"})
		c.send(wsMessage{Type: "ping"})
		if m := c.next(); m.Type != "pong" {
			t.Fatalf("after the client's complete: %+v", m)
		}
		c.subscribe("d", `subscription { rewardsUpdated { points } }`, nil)
		c.expectNext("d", nil)
	})
	t.Run("queries work over the socket", func(t *testing.T) {
		c := mustDialWS(t, srv)
		c.initWith("")
		c.subscribe("q", `{ categories }`, nil)
		var got struct{ Categories []string }
		c.expectNext("q", &got)
		if len(got.Categories) != 2 {
			t.Errorf("got %+v", got)
		}
		if m := c.next(); m.Type != "complete" {
			t.Errorf("after the query: %+v", m)
		}
	})
}

func TestWebsocketHandshake(t *testing.T) {
	f := newFixture(t)
	srv := f.serve()
	for _, tc := range []struct {
		name   string
		origin string
		status int
	}{
		{"allowed origin", "https://shop.example", http.StatusSwitchingProtocols},
		{"allowed origin in capitals", "https://SHOP.example", http.StatusSwitchingProtocols},
		{"allowed host, other scheme", "http://shop.example", http.StatusForbidden},
		{"allowed host, other port", "https://shop.example:8443", http.StatusForbidden},
		{"same host", srv.URL, http.StatusSwitchingProtocols},
		{"same host, ftp", "ftp://" + strings.TrimPrefix(srv.URL, "http://"), http.StatusForbidden},
		{"same host, https on a plain-http listener", "https://" + strings.TrimPrefix(srv.URL, "http://"), http.StatusForbidden},
		{"foreign origin", "https://evil.example", http.StatusForbidden},
		{"null origin", "null", http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, resp, err := dialWS(t, srv, http.Header{"Origin": {tc.origin}})
			if resp == nil {
				t.Fatalf("no response: %v", err)
			}
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
	t.Run("without graphql-transport-ws", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "websocket")
		req.Header.Set("Sec-WebSocket-Version", "13")
		req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
		req.Header.Set("Sec-WebSocket-Protocol", "graphql-ws")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
}

// TestWebsocketCleanup opens subscriptions, makes the clients vanish without
// a close handshake, and checks that every goroutine and feed subscription
// they held goes away.
func TestWebsocketCleanup(t *testing.T) {
	f := newFixture(t, func(o *HandlerOptions) { o.WebsocketPingInterval = 100 * time.Millisecond })
	f.addToCart(f.alice, f.products[0], 1)
	id := f.placeOrder(f.aliceToken, "k")
	srv := f.serve()
	// Warm up once so lazily started runtime goroutines are in the baseline.
	warm := mustDialWS(t, srv)
	warm.initWith(f.aliceToken)
	_ = warm.conn.Close()
	waitFor(t, func() bool { return f.store.feed.subscribers() == 0 })
	time.Sleep(200 * time.Millisecond)
	baseline := runtime.NumGoroutine()

	var clients []*wsClient
	for range 5 {
		c := mustDialWS(t, srv)
		c.initWith(f.aliceToken)
		c.subscribe("o", orderUpdatedSubscription, map[string]any{"id": id})
		c.expectNext("o", nil)
		c.subscribe("r", `subscription { rewardsUpdated { points } }`, nil)
		c.expectNext("r", nil)
		c.subscribe("m", `subscription { myOrdersUpdated { id } }`, nil)
		clients = append(clients, c)
	}
	waitFor(t, func() bool { return f.store.feed.subscribers() == 15 })
	if runtime.NumGoroutine() <= baseline {
		t.Fatal("subscriptions started no goroutines; the test proves nothing")
	}
	for i, c := range clients {
		if i%2 == 0 {
			_ = c.conn.UnderlyingConn().Close() // vanish: no close frame
		} else {
			_ = c.conn.WriteMessage(8, []byte{0x03, 0xe8}) // a polite close
			_ = c.conn.Close()
		}
	}
	waitFor(t, func() bool { return f.store.feed.subscribers() == 0 })
	waitFor(t, func() bool { return runtime.NumGoroutine() <= baseline })
}

// waitFor polls cond for up to five seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			n := runtime.Stack(buf, true)
			t.Fatalf("condition not met in time; goroutines: %d\n%s", runtime.NumGoroutine(), slices.Clip(buf[:n]))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWebsocketClosesAfterLogout: logout revokes the session for open
// websockets too: the connection closes with 4403 at the next check, while a
// connection of another session stays open.
func TestWebsocketClosesAfterLogout(t *testing.T) {
	f := newFixture(t, func(o *HandlerOptions) { o.SessionRecheckInterval = 50 * time.Millisecond })
	srv := f.serve()
	_, bobToken := f.account("bob-logout@example.com", orderly.RoleCustomer)
	alice, bob := mustDialWS(t, srv), mustDialWS(t, srv)
	alice.initWith(f.aliceToken)
	bob.initWith(bobToken)
	alice.subscribe("r", `subscription { rewardsUpdated { points } }`, nil)
	alice.expectNext("r", nil)
	bob.subscribe("r", `subscription { rewardsUpdated { points } }`, nil)
	bob.expectNext("r", nil)

	time.Sleep(200 * time.Millisecond) // several checks pass while the session lives
	f.ok(f.aliceToken, `mutation { logout { revoked } }`, nil, nil)
	alice.expectClose(closeForbidden)

	// Bob's session lives on: his socket still answers a new operation.
	bob.subscribe("r2", `subscription { rewardsUpdated { points } }`, nil)
	bob.expectNext("r2", nil)
}
