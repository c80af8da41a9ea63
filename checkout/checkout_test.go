package checkout

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/devstack"
	"github.com/orderly-shop/orderly/mongodb"
)

// The checkout's guarantees are about races on the store, so its tests run
// on the real one (the embedded store, shared by the package's tests, each
// on its own database); only the workflows are a recording stand-in.
func TestMain(m *testing.M) {
	os.Exit(devstack.Main(m, devstack.SharedStore))
}

// processing records the orders started; hold, when set, makes StartOrder
// wait for it, and fail, when set, makes StartOrder fail.
type processing struct {
	orderly.OrderProcessing
	mu      sync.Mutex
	started map[string]int
	hold    chan struct{}
	fail    error
}

func (p *processing) StartOrder(ctx context.Context, o *orderly.Order) (string, error) {
	if p.hold != nil {
		<-p.hold
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return "", p.fail
	}
	if p.started == nil {
		p.started = map[string]int{}
	}
	p.started[o.ID]++
	return "run-" + o.ID, nil
}

func (p *processing) startedCount(id string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.started[id]
}

type fixture struct {
	t        *testing.T
	db       *mongodb.DB
	carts    *mongodb.CartService
	orders   *mongodb.OrderService
	proc     *processing
	svc      *Service
	products []orderly.Product
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := mongodb.Open(ctx, devstack.TestStore(t), devstack.TestDatabase(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(context.WithoutCancel(ctx)) })
	if err := db.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, carts: mongodb.NewCartService(db, nil), orders: mongodb.NewOrderService(db),
		proc: &processing{}, products: mongodb.DemoProducts()}
	f.svc = &Service{Carts: f.carts, Orders: f.orders, Processing: f.proc}
	return f
}

func (f *fixture) add(customerID string, p orderly.Product, qty int) *orderly.PricedCart {
	f.t.Helper()
	c, err := f.carts.AddToCart(context.Background(), customerID, p.ID, qty)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) cart(customerID string) *orderly.PricedCart {
	f.t.Helper()
	c, err := f.carts.FindCart(context.Background(), customerID)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// ordersOf counts the customer's stored orders.
func (f *fixture) ordersOf(customerID string) int {
	f.t.Helper()
	page, err := f.orders.FindOrders(context.Background(), orderly.OrderFilter{CustomerID: customerID})
	if err != nil {
		f.t.Fatal(err)
	}
	return page.TotalCount
}

func request(customerID, key string) orderly.PlaceOrderRequest {
	return orderly.PlaceOrderRequest{CustomerID: customerID, IdempotencyKey: key, ShippingAddress: orderly.Address{
		Name: "Ada Lovelace", Line1: "12 Analytical Row", City: "London", PostalCode: "N1 9GU", Country: "GB"}}
}

func TestPlaceOrder(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.add("cus_a", f.products[0], 2)
	o, created, err := f.svc.PlaceOrder(ctx, request("cus_a", "k1"))
	if err != nil || !created {
		t.Fatalf("place = %v, %v", created, err)
	}
	if o.ID != orderly.OrderIDFor("cus_a", "k1") || len(o.Lines) != 1 || o.Lines[0].Quantity != 2 || o.RunID != "run-"+o.ID {
		t.Errorf("order = %+v", o)
	}
	if f.proc.startedCount(o.ID) != 1 {
		t.Errorf("started %d times", f.proc.startedCount(o.ID))
	}
	c := f.cart("cus_a")
	if len(c.Lines) != 0 || c.Checkout == nil || c.Checkout.Pending || c.Checkout.OrderID != o.ID {
		t.Errorf("cart after checkout = %+v (%+v)", c, c.Checkout)
	}
	// The same key again: the same order, started again (a no-op for Temporal).
	again, created, err := f.svc.PlaceOrder(ctx, request("cus_a", "k1"))
	if err != nil || created || again.ID != o.ID {
		t.Fatalf("repeat = %v %v %v", again, created, err)
	}
	// A new key on the empty cart says what became of its items.
	_, _, err = f.svc.PlaceOrder(ctx, request("cus_a", "k2"))
	if orderly.ErrorCode(err) != orderly.ECONFLICT {
		t.Errorf("new key, empty cart: %v, want CONFLICT naming %s", err, o.ID)
	}
	if n := f.ordersOf("cus_a"); n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
	_, _, err = f.svc.PlaceOrder(ctx, request("cus_never", "k"))
	if orderly.ErrorCode(err) != orderly.EINVALID {
		t.Errorf("a cart never filled: %v, want INVALID", err)
	}
}

// TestPlaceOrderRefusesBadInputAndWritesNothing: a bad key or address, or a
// cart line above the stock, is a typed error and leaves the cart as it was.
func TestPlaceOrderRefusesBadInputAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	before := f.add("cus_a", f.products[0], 2)
	bad := request("cus_a", "k")
	bad.ShippingAddress.Country = "usa"
	for _, tc := range []struct {
		req  orderly.PlaceOrderRequest
		code string
	}{
		{request("cus_a", ""), orderly.EINVALID},
		{request("cus_a", string(make([]byte, orderly.MaxIdempotencyKeyLength+1))), orderly.EINVALID},
		{bad, orderly.EINVALID},
	} {
		if _, _, err := f.svc.PlaceOrder(ctx, tc.req); orderly.ErrorCode(err) != tc.code {
			t.Errorf("%+v: %v, want %s", tc.req, err, tc.code)
		}
	}
	// Another order takes the stock down to one, below the cart's two.
	inv := mongodb.NewInventoryService(f.db)
	other := []orderly.OrderLine{{ProductID: f.products[0].ID, Name: f.products[0].Name, UnitPrice: f.products[0].Price, Quantity: f.products[0].Stock - 1}}
	av, err := inv.Availability(ctx, "ord_other", []string{f.products[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	parcels, err := orderly.FewestShipments{}.Source(other, "US", av)
	if err != nil {
		t.Fatal(err)
	}
	if err := inv.ReserveStock(ctx, "ord_other", parcels); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.PlaceOrder(ctx, request("cus_a", "k")); orderly.ErrorCode(err) != orderly.EOUTOFSTOCK {
		t.Errorf("above stock: %v, want OUT_OF_STOCK", err)
	}
	after := f.cart("cus_a")
	if after.Version != before.Version || len(after.Lines) != 1 || after.Checkout != nil || f.ordersOf("cus_a") != 0 {
		t.Errorf("a refused checkout changed the cart (%d -> %d, checkout %+v) or stored an order", before.Version, after.Version, after.Checkout)
	}
}

// TestOneCartBecomesOneOrder is the outside tester's two-tabs case: ten
// concurrent checkouts of one cart with ten different keys make one order;
// every other caller gets that order (or a CONFLICT), none a second order.
func TestOneCartBecomesOneOrder(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.add("cus_a", f.products[0], 1)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ids := map[string]int{}
	created, conflicts := 0, 0
	for i := range 10 {
		wg.Go(func() {
			o, c, err := f.svc.PlaceOrder(ctx, request("cus_a", fmt.Sprint("tab-", i)))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case orderly.ErrorCode(err) == orderly.ECONFLICT:
				conflicts++
			case err != nil:
				t.Error(err)
			default:
				ids[o.ID]++
				if c {
					created++
				}
			}
		})
	}
	wg.Wait()
	if len(ids) != 1 || created != 1 || f.ordersOf("cus_a") != 1 {
		t.Fatalf("orders %v, created %d, stored %d; want one order placed once", ids, created, f.ordersOf("cus_a"))
	}
	for id := range ids {
		if n := f.proc.startedCount(id); n < 1 {
			t.Errorf("the order was never started")
		}
	}
	t.Logf("10 checkouts: %d answered with the order, %d with a CONFLICT", 10-conflicts, conflicts)
}

// TestLineAddedDuringCheckoutStaysInTheCart: a line added after the claim,
// while the order is being started, is not lost: it is in the cart, and the
// order holds exactly what the cart held at the claim.
func TestLineAddedDuringCheckoutStaysInTheCart(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a, b := f.products[0], f.products[1]
	f.add("cus_a", a, 1)
	f.proc.hold = make(chan struct{})
	type placed struct {
		o   *orderly.Order
		err error
	}
	done := make(chan placed, 1)
	go func() {
		o, _, err := f.svc.PlaceOrder(ctx, request("cus_a", "k"))
		done <- placed{o, err}
	}()
	// Wait for the claim, then add while the order's start is held.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if c := f.cart("cus_a"); c.Checkout != nil && c.Checkout.Pending {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the checkout did not claim the cart")
		}
	}
	f.add("cus_a", b, 3)
	close(f.proc.hold)
	p := <-done
	if p.err != nil {
		t.Fatal(p.err)
	}
	if len(p.o.Lines) != 1 || p.o.Lines[0].ProductID != a.ID {
		t.Errorf("order lines = %+v, want only %s", p.o.Lines, a.ID)
	}
	c := f.cart("cus_a")
	if len(c.Lines) != 1 || c.Lines[0].Product.ID != b.ID || c.Lines[0].Quantity != 3 || c.Checkout.Pending {
		t.Errorf("cart = %+v, want %s x3 and the checkout settled", c.Lines, b.ID)
	}
}

// TestInterruptedCheckoutIsFinished: when the order cannot be started (the
// workflow service is down, or the process dies) after the cart was claimed,
// the lines are neither lost nor ordered twice: a retry with the same key,
// or the sweeper, starts the very order the claim recorded.
func TestInterruptedCheckoutIsFinished(t *testing.T) {
	ctx := context.Background()
	for _, finish := range []string{"retry", "sweeper", "another checkout"} {
		t.Run(finish, func(t *testing.T) {
			f := newFixture(t)
			f.add("cus_a", f.products[0], 1)
			f.proc.fail = orderly.Errorf(orderly.EUNAVAILABLE, "order processing is unavailable")
			if _, _, err := f.svc.PlaceOrder(ctx, request("cus_a", "k")); orderly.ErrorCode(err) != orderly.EUNAVAILABLE {
				t.Fatalf("place while down: %v", err)
			}
			if c := f.cart("cus_a"); len(c.Lines) != 0 || c.Checkout == nil || !c.Checkout.Pending {
				t.Fatalf("cart after the failed start = %+v", c)
			}
			f.proc.mu.Lock()
			f.proc.fail = nil
			f.proc.mu.Unlock()
			id := orderly.OrderIDFor("cus_a", "k")
			switch finish {
			case "retry":
				if o, created, err := f.svc.PlaceOrder(ctx, request("cus_a", "k")); err != nil || created || o.ID != id {
					t.Fatalf("retry = %v %v %v", o, created, err)
				}
			case "sweeper":
				if n, err := f.svc.ResumeCheckouts(ctx, 0, 10); err != nil || n != 1 {
					t.Fatalf("resumed %d, %v", n, err)
				}
			case "another checkout":
				// The other tab, with its own key, finds the pending claim,
				// finishes it and, the cart being empty, answers with it.
				if o, created, err := f.svc.PlaceOrder(ctx, request("cus_a", "other-tab")); err != nil || created || o.ID != id {
					t.Fatalf("other tab = %v %v %v", o, created, err)
				}
			}
			if f.proc.startedCount(id) != 1 || f.ordersOf("cus_a") != 1 {
				t.Errorf("started %d times, %d orders; want the claimed order once", f.proc.startedCount(id), f.ordersOf("cus_a"))
			}
			if c := f.cart("cus_a"); c.Checkout == nil || c.Checkout.Pending {
				t.Errorf("checkout still pending: %+v", c.Checkout)
			}
			if n, err := f.svc.ResumeCheckouts(ctx, 0, 10); err != nil || n != 0 {
				t.Errorf("a second sweep resumed %d, %v", n, err)
			}
		})
	}
}
