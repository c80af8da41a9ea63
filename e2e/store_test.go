package e2e

import (
	"context"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/mongodb"
	"github.com/orderly-shop/orderly/paysim"
)

// store reads an app's database directly, behind the API's back, to check
// what really happened: the services of the mongodb package for documents,
// and raw counts for "exactly one" assertions that no service offers.
type store struct {
	db  *mongodb.DB
	raw *mongo.Database
}

// openStore connects to the app's database; both connections close when t
// ends.
func (a *app) openStore(t testing.TB) *store {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	uri := a.storeURI
	db, err := mongodb.Open(ctx, uri, a.database, nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	c, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatalf("connect store: %v", err)
	}
	t.Cleanup(func() { c.Disconnect(context.Background()) })
	return &store{db: db, raw: c.Database(a.database)}
}

func storeCtx(t testing.TB) (context.Context, context.CancelFunc) {
	return context.WithTimeout(t.Context(), 30*time.Second)
}

// payments returns every payment document of an order.
func (s *store) payments(t testing.TB, orderID string) []orderly.Payment {
	t.Helper()
	ctx, cancel := storeCtx(t)
	defer cancel()
	cur, err := s.raw.Collection("payments").Find(ctx, bson.D{{Key: "orderId", Value: orderID}})
	if err != nil {
		t.Fatalf("find payments: %v", err)
	}
	var ps []orderly.Payment
	if err := cur.All(ctx, &ps); err != nil {
		t.Fatalf("read payments: %v", err)
	}
	return ps
}

// providerPayments returns the simulated payment provider's own records of
// an order: the other side of the books.
func (s *store) providerPayments(t testing.TB, orderID string) []*paysim.Payment {
	t.Helper()
	ctx, cancel := storeCtx(t)
	defer cancel()
	ps, err := mongodb.NewPaysimStore(s.db).FindPaysimPayments(ctx, orderID)
	if err != nil {
		t.Fatalf("find provider payments: %v", err)
	}
	return ps
}

// checkProviderMatches checks that the provider moved each amount once and
// that its books agree with the order's ledger: one payment per order, each
// idempotency key answered once, a ledger entry for every movement and a
// movement for every entry, and the same amounts held, captured and refunded.
func (s *store) checkProviderMatches(t testing.TB, o fullOrder) {
	t.Helper()
	ps := s.providerPayments(t, o.ID)
	if o.Ledger == nil {
		if len(ps) != 0 {
			t.Errorf("%s: the provider has %d payments but the order no ledger", o.ID, len(ps))
		}
		return
	}
	if len(ps) != 1 {
		t.Errorf("%s: the provider has %d payments, want 1", o.ID, len(ps))
		return
	}
	p := ps[0]
	keys := map[string]int{}
	for _, m := range p.Movements {
		keys[m.Key]++
	}
	for k, n := range keys {
		if n != 1 {
			t.Errorf("%s: the provider answered key %s %d times", o.ID, k, n)
		}
	}
	if len(p.Movements) != len(o.Ledger.Entries) {
		t.Errorf("%s: the provider has %d movements, the ledger %d entries: %v", o.ID, len(p.Movements), len(o.Ledger.Entries), o.ledgerKinds())
	}
	for _, e := range o.Ledger.Entries {
		if keys[e.ID] != 1 || e.PaymentID != p.ID {
			t.Errorf("%s: ledger entry %s (payment %s) is not the provider's %s", o.ID, e.ID, e.PaymentID, p.ID)
		}
	}
	if int(p.Captured) != o.Ledger.Captured.Amount || int(p.Refunded) != o.Ledger.Refunded.Amount || int(p.Held) != o.Ledger.Authorized.Amount {
		t.Errorf("%s: provider held/captured/refunded %d/%d/%d, ledger %d/%d/%d", o.ID, p.Held, p.Captured, p.Refunded,
			o.Ledger.Authorized.Amount, o.Ledger.Captured.Amount, o.Ledger.Refunded.Amount)
	}
}

// notificationIDs returns the IDs of every notification about an order,
// sorted; duplicates would show twice.
func (s *store) notificationIDs(t testing.TB, orderID string) []string {
	t.Helper()
	ctx, cancel := storeCtx(t)
	defer cancel()
	cur, err := s.raw.Collection("notifications").Find(ctx, bson.D{{Key: "orderId", Value: orderID}})
	if err != nil {
		t.Fatalf("find notifications: %v", err)
	}
	var ns []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &ns); err != nil {
		t.Fatalf("read notifications: %v", err)
	}
	var ids []string
	for _, n := range ns {
		ids = append(ids, n.ID)
	}
	slices.Sort(ids)
	return ids
}

// customerNotifications returns the titles of a customer's notifications,
// through the service.
func (s *store) customerNotifications(t testing.TB, customerID string) []*orderly.Notification {
	t.Helper()
	ctx, cancel := storeCtx(t)
	defer cancel()
	page, err := mongodb.NewNotificationService(s.db).FindNotifications(ctx, customerID, orderly.PageRequest{First: 100})
	if err != nil {
		t.Fatalf("find notifications: %v", err)
	}
	return page.Items
}

// stock returns a product's stock and the orders holding units of it (at
// any location, or reserved before locations existed).
func (s *store) stock(t testing.TB, productID string) (stock int, reservations []string) {
	t.Helper()
	ctx, cancel := storeCtx(t)
	defer cancel()
	var p struct {
		Stock        int                       `bson:"stock"`
		Holds        map[string]map[string]int `bson:"holds"`
		Reservations []string                  `bson:"reservations"`
	}
	if err := s.raw.Collection("products").FindOne(ctx, bson.D{{Key: "_id", Value: productID}}).Decode(&p); err != nil {
		t.Fatalf("find product %s: %v", productID, err)
	}
	for order, at := range p.Holds {
		if len(at) > 0 {
			p.Reservations = append(p.Reservations, order)
		}
	}
	return p.Stock, p.Reservations
}

// rewards reads a customer's persisted rewards account.
func (s *store) rewards(t testing.TB, customerID string) *orderly.RewardsAccount {
	t.Helper()
	ctx, cancel := storeCtx(t)
	defer cancel()
	r, err := mongodb.NewRewardsService(s.db).FindRewards(ctx, customerID)
	if err != nil {
		t.Fatalf("find rewards: %v", err)
	}
	return r
}

// checkInvariants checks what must hold for every order in the
// database once it has ended: no money held by a CANCELLED or FAILED order
// (every hold voided, every capture or charge refunded), a COMPLETED order's
// total captured (or charged), never more refunded than captured, the
// provider's books matching each ledger, no reservation left on any product
// for an ended order, stock never negative, timeline versions 1..n without
// gaps.
func (s *store) checkInvariants(t testing.TB) {
	t.Helper()
	ctx, cancel := storeCtx(t)
	defer cancel()
	cur, err := s.raw.Collection("orders").Find(ctx, bson.D{})
	if err != nil {
		t.Fatalf("find orders: %v", err)
	}
	var orders []orderly.Order
	if err := cur.All(ctx, &orders); err != nil {
		t.Fatalf("read orders: %v", err)
	}
	ended := map[string]bool{}
	for _, o := range orders {
		if !o.Status.IsFinal() {
			continue
		}
		ended[o.ID] = true
		for i, e := range o.Timeline {
			if e.Version != i+1 {
				t.Errorf("order %s: timeline entry %d has version %d", o.ID, i, e.Version)
			}
		}
		if o.Version != len(o.Timeline) {
			t.Errorf("order %s: version %d but %d timeline entries", o.ID, o.Version, len(o.Timeline))
		}
		sum := o.PaymentSummary()
		ps := s.payments(t, o.ID)
		switch {
		case len(ps) > 1:
			t.Errorf("order %s has %d charges", o.ID, len(ps))
		case len(ps) == 1 && len(o.Ledger) > 0:
			t.Errorf("order %s was both charged and put on the ledger", o.ID)
		case o.Status != orderly.StatusCompleted && o.MoneyHeld().Amount != 0:
			t.Errorf("%s order %s keeps %s of the customer's money", o.Status, o.ID, o.MoneyHeld())
		case o.Status == orderly.StatusCompleted && len(ps) == 0 && sum.Captured.Amount+sum.Voided.Amount != o.Total.Amount:
			// A parcel that never shipped had its part voided; the rest
			// of the total is captured.
			t.Errorf("completed order %s captured %s and voided %s of %s", o.ID, sum.Captured, sum.Voided, o.Total)
		case o.Status == orderly.StatusCompleted && len(ps) == 1 && ps[0].Status != orderly.PaymentCharged:
			t.Errorf("completed order %s has charge %s", o.ID, ps[0].Status)
		case sum.Refunded.Amount > sum.Captured.Amount:
			t.Errorf("order %s refunded %s of %s captured", o.ID, sum.Refunded, sum.Captured)
		}
		if len(ps) == 0 {
			s.checkProviderMatches(t, fullOrderOf(&o))
		}
	}
	cur, err = s.raw.Collection("products").Find(ctx, bson.D{})
	if err != nil {
		t.Fatalf("find products: %v", err)
	}
	var products []struct {
		ID           string                    `bson:"_id"`
		Stock        int                       `bson:"stock"`
		StockAt      map[string]int            `bson:"stockAt"`
		Holds        map[string]map[string]int `bson:"holds"`
		Reservations []string                  `bson:"reservations"`
	}
	if err := cur.All(ctx, &products); err != nil {
		t.Fatalf("read products: %v", err)
	}
	for _, p := range products {
		if p.Stock < 0 {
			t.Errorf("product %s has negative stock %d", p.ID, p.Stock)
		}
		for _, r := range p.Reservations {
			if ended[r] {
				t.Errorf("product %s still holds a reservation for ended order %s", p.ID, r)
			}
		}
		total := 0
		for loc, n := range p.StockAt {
			total += n
			if n < 0 {
				t.Errorf("product %s has negative stock %d at %s", p.ID, n, loc)
			}
		}
		if total != p.Stock {
			t.Errorf("product %s: stock %d, its locations %v", p.ID, p.Stock, p.StockAt)
		}
		for order, at := range p.Holds {
			if ended[order] && len(at) > 0 {
				t.Errorf("product %s still holds %v for ended order %s", p.ID, at, order)
			}
		}
	}
}

// fullOrderOf is the ledger of a stored order as the API would show it, for
// checkProviderMatches.
func fullOrderOf(o *orderly.Order) fullOrder {
	f := fullOrder{ID: o.ID}
	if len(o.Ledger) == 0 {
		return f
	}
	s := o.PaymentSummary()
	f.Ledger = &ledger{Status: string(s.Status)}
	f.Ledger.Authorized.Amount, f.Ledger.Captured.Amount, f.Ledger.Refunded.Amount = int(s.Authorized.Amount), int(s.Captured.Amount), int(s.Refunded.Amount)
	for _, e := range o.Ledger {
		f.Ledger.Entries = append(f.Ledger.Entries, struct {
			ID            string
			Kind          string
			Amount        struct{ Amount int }
			PaymentID     string
			DeclineReason *string
			ReturnID      *string
		}{ID: e.ID, Kind: string(e.Kind), Amount: struct{ Amount int }{int(e.Amount.Amount)}, PaymentID: e.PaymentID})
	}
	return f
}

// waitNotificationIDs polls until the order's notifications include want
// (a notification is sent just after the status it reports is recorded),
// and returns them.
func (s *store) waitNotificationIDs(t testing.TB, orderID string, want ...string) []string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ids := s.notificationIDs(t, orderID)
		missing := false
		for _, w := range want {
			if !slices.Contains(ids, w) {
				missing = true
			}
		}
		if !missing || time.Now().After(deadline) {
			return ids
		}
		time.Sleep(100 * time.Millisecond)
	}
}
