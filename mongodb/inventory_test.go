package mongodb

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/devstack"
)

// The test locations: products stocked by insertProduct without locations
// are at loc1 (legacyLocationID).
const (
	loc1 = legacyLocationID
	loc2 = "loc_test-2"
)

// storedStock is a product's stock as stored.
type storedStock struct {
	Stock   int                       `bson:"stock"`
	StockAt map[string]int            `bson:"stockAt"`
	Holds   map[string]map[string]int `bson:"holds"`
	// Reservations are the orders reserved before locations existed.
	Reservations []string `bson:"reservations"`
}

// holders lists the orders holding units of the product, sorted.
func (s storedStock) holders() []string {
	out := slices.Sorted(maps.Keys(s.Holds))
	return append(out, s.Reservations...)
}

// readStock reads a product's stock straight from the store.
func readStock(t testing.TB, db *DB, productID string) storedStock {
	t.Helper()
	var doc storedStock
	if err := db.coll(colProducts).FindOne(context.Background(), bson.D{{Key: "_id", Value: productID}}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// stockOf reads a product's total stock and the orders holding some.
func stockOf(t testing.TB, db *DB, productID string) (stock int, holders []string) {
	t.Helper()
	s := readStock(t, db, productID)
	return s.Stock, s.holders()
}

func lines(pairs ...any) []orderly.OrderLine {
	var ls []orderly.OrderLine
	for i := 0; i < len(pairs); i += 2 {
		ls = append(ls, orderly.OrderLine{ProductID: pairs[i].(string), Quantity: pairs[i+1].(int)})
	}
	return ls
}

// parcel is the allocation of (product, quantity) pairs to a location.
func parcel(locationID string, pairs ...any) orderly.Allocation {
	return orderly.Allocation{Location: orderly.Location{ID: locationID}, Lines: lines(pairs...)}
}

// plan is an order's allocations.
func plan(parcels ...orderly.Allocation) []orderly.Allocation { return parcels }

func TestReserveReleaseCommit(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	inv := NewInventoryService(db)
	a := insertProduct(t, db, orderly.Product{Name: "A", Stock: 10})
	b := insertProduct(t, db, orderly.Product{Name: "B", Stock: 4})
	order := lines(a.ID, 3, b.ID, 2)

	for range 2 { // the second reserve is a retry: no change
		if err := inv.ReserveStock(ctx, "ord_1", plan(parcel(loc1, a.ID, 3, b.ID, 2))); err != nil {
			t.Fatal(err)
		}
	}
	if s, r := stockOf(t, db, a.ID); s != 7 || !slices.Equal(r, []string{"ord_1"}) {
		t.Fatalf("after reserve: A stock %d holders %v", s, r)
	}
	if s := readStock(t, db, b.ID); s.Stock != 2 || s.StockAt[loc1] != 2 {
		t.Fatalf("after reserve: B stock %+v, want 2 at %s", s, loc1)
	}

	for range 2 { // the second release is a retry: no change
		if err := inv.ReleaseStock(ctx, "ord_1", "", order); err != nil {
			t.Fatal(err)
		}
	}
	if s, r := stockOf(t, db, a.ID); s != 10 || len(r) != 0 {
		t.Fatalf("after release: A stock %d holders %v", s, r)
	}

	if err := inv.ReserveStock(ctx, "ord_2", plan(parcel(loc1, a.ID, 3, b.ID, 2))); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := inv.CommitStock(ctx, "ord_2", "", order); err != nil {
			t.Fatal(err)
		}
	}
	// Released after commit: the goods left, nothing comes back.
	if err := inv.ReleaseStock(ctx, "ord_2", "", order); err != nil {
		t.Fatal(err)
	}
	if s, r := stockOf(t, db, a.ID); s != 7 || len(r) != 0 {
		t.Fatalf("after commit and release: A stock %d holders %v, want 7 []", s, r)
	}
}

// TestReservePerLocation reserves an order split over two locations (one
// product from both), commits one parcel and releases the other: each
// unit goes back to the location it came from, and only the released
// parcel's.
func TestReservePerLocation(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	inv := NewInventoryService(db)
	a := insertProduct(t, db, orderly.Product{Name: "A", StockAt: map[string]int{loc1: 3, loc2: 5}})
	b := insertProduct(t, db, orderly.Product{Name: "B", StockAt: map[string]int{loc2: 2}})
	order := plan(parcel(loc1, a.ID, 3), parcel(loc2, a.ID, 1, b.ID, 2))
	for range 2 { // a retried activity reserves once
		if err := inv.ReserveStock(ctx, "ord_1", order); err != nil {
			t.Fatal(err)
		}
	}
	sa, sb := readStock(t, db, a.ID), readStock(t, db, b.ID)
	if sa.Stock != 4 || sa.StockAt[loc1] != 0 || sa.StockAt[loc2] != 4 || !maps.Equal(sa.Holds["ord_1"], map[string]int{loc1: 3, loc2: 1}) {
		t.Fatalf("A after reserve: %+v", sa)
	}
	if sb.Stock != 0 || sb.StockAt[loc2] != 0 {
		t.Fatalf("B after reserve: %+v", sb)
	}
	// A retried sourcing sees what the order holds as its own; others do not.
	for order, want := range map[string]int{"ord_1": 3, "ord_2": 0} {
		av, err := inv.Availability(ctx, order, []string{a.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got := av.Of(a.ID, loc1); got != want {
			t.Errorf("availability of A at %s to %s = %d, want %d", loc1, order, got, want)
		}
	}
	// The first parcel leaves; the second fails and gives its units back.
	if err := inv.CommitStock(ctx, "ord_1", loc1, lines(a.ID, 4, b.ID, 2)); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := inv.ReleaseStock(ctx, "ord_1", loc2, lines(a.ID, 4, b.ID, 2)); err != nil {
			t.Fatal(err)
		}
	}
	sa, sb = readStock(t, db, a.ID), readStock(t, db, b.ID)
	if sa.Stock != 5 || sa.StockAt[loc1] != 0 || sa.StockAt[loc2] != 5 || len(sa.Holds) != 0 {
		t.Fatalf("A after commit at %s and release at %s: %+v, want 0 and 5, no holds", loc1, loc2, sa)
	}
	if sb.Stock != 2 || sb.StockAt[loc2] != 2 || len(sb.Holds) != 0 {
		t.Fatalf("B after release: %+v, want 2 at %s", sb, loc2)
	}
}

// TestReserveIsPerLocation refuses a parcel its location cannot meet even
// when the product's stock elsewhere could: no location is oversold.
func TestReserveIsPerLocation(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	inv := NewInventoryService(db)
	if err := db.EnsureLocations(ctx); err != nil {
		t.Fatal(err)
	}
	eu := orderly.LocationIDFor(demoEU)
	a := insertProduct(t, db, orderly.Product{Name: "Alpha Lamp", StockAt: map[string]int{loc1: 10, eu: 1}})
	err := inv.ReserveStock(ctx, "ord_1", plan(parcel(eu, a.ID, 2)))
	wantCode(t, err, orderly.EOUTOFSTOCK)
	if msg := orderly.ErrorMessage(err); !strings.Contains(msg, "Alpha Lamp") || !strings.Contains(msg, "EU") {
		t.Errorf("message %q does not name the product and the location", msg)
	}
	if s := readStock(t, db, a.ID); s.Stock != 11 || s.StockAt[eu] != 1 || len(s.Holds) != 0 {
		t.Errorf("after a refused reserve: %+v", s)
	}
}

// TestReserveReplacesAnEarlierPlan: an order re-sourced (the stock moved
// between its attempts) holds the new plan's units, not both.
func TestReserveReplacesAnEarlierPlan(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	inv := NewInventoryService(db)
	a := insertProduct(t, db, orderly.Product{Name: "A", StockAt: map[string]int{loc1: 5, loc2: 5}})
	if err := inv.ReserveStock(ctx, "ord_1", plan(parcel(loc1, a.ID, 2))); err != nil {
		t.Fatal(err)
	}
	if err := inv.ReserveStock(ctx, "ord_1", plan(parcel(loc2, a.ID, 2))); err != nil {
		t.Fatal(err)
	}
	s := readStock(t, db, a.ID)
	if s.Stock != 8 || s.StockAt[loc1] != 5 || s.StockAt[loc2] != 3 || !maps.Equal(s.Holds["ord_1"], map[string]int{loc2: 2}) {
		t.Fatalf("after a second plan: %+v", s)
	}
}

// TestReleaseOfALegacyReservation gives the units of an order reserved
// before locations existed back to the first location, once.
func TestReleaseOfALegacyReservation(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	inv := NewInventoryService(db)
	a := insertProduct(t, db, orderly.Product{Name: "A", StockAt: map[string]int{loc1: 4}})
	if _, err := db.coll(colProducts).UpdateOne(ctx, bson.D{{Key: "_id", Value: a.ID}},
		bson.D{{Key: "$push", Value: bson.D{{Key: "reservations", Value: "ord_old"}}}}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := inv.ReleaseStock(ctx, "ord_old", "", lines(a.ID, 3)); err != nil {
			t.Fatal(err)
		}
	}
	if s := readStock(t, db, a.ID); s.Stock != 7 || s.StockAt[loc1] != 7 || len(s.Reservations) != 0 {
		t.Fatalf("after releasing a legacy reservation: %+v", s)
	}
}

func TestReserveMergesLinesOfOneProduct(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	a := insertProduct(t, db, orderly.Product{Name: "A", Stock: 5})
	inv := NewInventoryService(db)
	if err := inv.ReserveStock(ctx, "ord_1", plan(parcel(loc1, a.ID, 2, a.ID, 2))); err != nil {
		t.Fatal(err)
	}
	if s, _ := stockOf(t, db, a.ID); s != 1 {
		t.Fatalf("stock = %d, want 1", s)
	}
	if err := inv.ReleaseStock(ctx, "ord_1", "", lines(a.ID, 2, a.ID, 2)); err != nil {
		t.Fatal(err)
	}
	if s, _ := stockOf(t, db, a.ID); s != 5 {
		t.Fatalf("stock after release = %d, want 5", s)
	}
}

func TestReserveIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	inv := NewInventoryService(db)
	a := insertProduct(t, db, orderly.Product{ID: "prd_a", Name: "Alpha Lamp", Stock: 5})
	b := insertProduct(t, db, orderly.Product{ID: "prd_b", Name: "Beta Chair", Stock: 1})

	err := inv.ReserveStock(ctx, "ord_1", plan(parcel(loc1, a.ID, 2, b.ID, 2)))
	wantCode(t, err, orderly.EOUTOFSTOCK)
	if msg := orderly.ErrorMessage(err); !strings.Contains(msg, "Beta Chair") {
		t.Errorf("message %q does not name the product", msg)
	}
	if s, r := stockOf(t, db, a.ID); s != 5 || len(r) != 0 {
		t.Errorf("A after failed reserve: stock %d holders %v, want 5 []", s, r)
	}

	err = inv.ReserveStock(ctx, "ord_2", plan(parcel(loc1, a.ID, 1, "prd_missing", 1)))
	wantCode(t, err, orderly.ENOTFOUND)
	if s, r := stockOf(t, db, a.ID); s != 5 || len(r) != 0 {
		t.Errorf("A after unknown product: stock %d holders %v, want 5 []", s, r)
	}
}

func TestReserveRejectsBadLines(t *testing.T) {
	inv := NewInventoryService(newTestDB(t))
	tests := []struct {
		name    string
		orderID string
		lines   []orderly.OrderLine
	}{
		{"no order", "", lines("prd_a", 1)},
		{"no lines", "ord_1", nil},
		{"no product", "ord_1", lines("", 1)},
		{"zero quantity", "ord_1", lines("prd_a", 0)},
		{"negative quantity", "ord_1", lines("prd_a", -3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			wantCode(t, inv.ReserveStock(ctx, tt.orderID, plan(orderly.Allocation{Location: orderly.Location{ID: loc1}, Lines: tt.lines})), orderly.EINVALID)
			wantCode(t, inv.ReleaseStock(ctx, tt.orderID, "", tt.lines), orderly.EINVALID)
			wantCode(t, inv.CommitStock(ctx, tt.orderID, "", tt.lines), orderly.EINVALID)
		})
	}
	wantCode(t, inv.ReserveStock(context.Background(), "ord_1", nil), orderly.EINVALID)
	wantCode(t, inv.ReserveStock(context.Background(), "ord_1", plan(parcel("", "prd_a", 1))), orderly.EINVALID)
}

// TestReserveNeverOversells races 50 orders of one unit for a stock of 7,
// from two connection pools: exactly 7 win.
func TestReserveNeverOversells(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	other, err := Open(ctx, devstack.TestStore(t), db.Name(), testLogger(t)) // a second client, as another process has
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	p := insertProduct(t, db, orderly.Product{Name: "Scarce", Stock: 7})

	const orders = 50
	var wg sync.WaitGroup
	errs := make([]error, orders)
	for i := range orders {
		inv := NewInventoryService(db)
		if i%2 == 1 {
			inv = NewInventoryService(other)
		}
		wg.Go(func() { errs[i] = inv.ReserveStock(ctx, fmt.Sprintf("ord_%02d", i), plan(parcel(loc1, p.ID, 1))) })
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch orderly.ErrorCode(err) {
		case "":
			won++
		case orderly.EOUTOFSTOCK:
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	stock, res := stockOf(t, db, p.ID)
	if won != 7 || stock != 0 || len(res) != 7 {
		t.Fatalf("%d orders won, stock %d, %d holders; want 7, 0, 7", won, stock, len(res))
	}
}

// TestReserveNeverOversellsAcrossProcesses runs the race from two processes
// (this test binary, re-executed), each with 25 goroutines reserving 1..3
// units at one location or split over two (stock 30 at each), each twice,
// starting at the same instant: at each location the units reserved plus
// the stock left are 30, and no location goes below zero.
func TestReserveNeverOversellsAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	db := newTestDB(t)
	p := insertProduct(t, db, orderly.Product{Name: "Scarce", StockAt: map[string]int{loc1: 30, loc2: 30}})
	// The helper needs a moment to start; both sides wait for the same instant.
	start := time.Now().Add(2 * time.Second)

	helper := exec.Command(os.Args[0], "-test.run=^TestReserveHelperProcess$", "-test.count=1")
	helper.Env = append(os.Environ(),
		"ORDERLY_TEST_HELPER=reserve", "ORDERLY_TEST_MONGODB_URI="+devstack.TestStore(t),
		"ORDERLY_TEST_DB="+db.Name(), "ORDERLY_TEST_PRODUCT="+p.ID,
		"ORDERLY_TEST_START="+strconv.FormatInt(start.UnixMilli(), 10))
	var helperOut strings.Builder
	helper.Stdout, helper.Stderr = &helperOut, &helperOut
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(start))
	mine := reserveRace(t, db, p.ID, "a")
	if err := helper.Wait(); err != nil {
		t.Fatalf("helper process: %v\n%s", err, helperOut.String())
	}
	var theirs map[string]int
	if err := json.Unmarshal([]byte(lastLine(helperOut.String(), "reserved=")), &theirs); err != nil {
		t.Fatalf("helper output: %v\n%s", err, helperOut.String())
	}
	s := readStock(t, db, p.ID)
	for _, loc := range []string{loc1, loc2} {
		if s.StockAt[loc] < 0 || mine[loc]+theirs[loc]+s.StockAt[loc] != 30 {
			t.Errorf("at %s: reserved %d here + %d there, stock %d: want a sum of 30", loc, mine[loc], theirs[loc], s.StockAt[loc])
		}
		t.Logf("at %s: reserved %d here, %d in the other process, %d left", loc, mine[loc], theirs[loc], s.StockAt[loc])
	}
	if s.Stock != s.StockAt[loc1]+s.StockAt[loc2] {
		t.Errorf("total stock %d, locations %v", s.Stock, s.StockAt)
	}
}

// TestReserveHelperProcess is the other process of
// TestReserveNeverOversellsAcrossProcesses; it does nothing on its own.
func TestReserveHelperProcess(t *testing.T) {
	if os.Getenv("ORDERLY_TEST_HELPER") != "reserve" {
		t.Skip("helper process")
	}
	ctx := context.Background()
	db, err := Open(ctx, devstack.TestStore(t), os.Getenv("ORDERLY_TEST_DB"), testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	start, err := strconv.ParseInt(os.Getenv("ORDERLY_TEST_START"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(time.UnixMilli(start)))
	won, err := json.Marshal(reserveRace(t, db, os.Getenv("ORDERLY_TEST_PRODUCT"), "b"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("reserved=%s\n", won)
}

// reserveRace reserves 1..3 units from 25 goroutines, each twice (the second
// call must be a no-op): a third at loc1, a third at loc2, a third split
// over both. It returns the units won by location.
func reserveRace(t *testing.T, db *DB, productID, prefix string) map[string]int {
	inv := NewInventoryService(db)
	var mu sync.Mutex
	won := map[string]int{}
	var wg sync.WaitGroup
	for i := range 25 {
		q := 1 + i%3
		var order []orderly.Allocation
		switch i % 3 {
		case 0:
			order = plan(parcel(loc1, productID, q))
		case 1:
			order = plan(parcel(loc2, productID, q))
		default:
			order = plan(parcel(loc1, productID, 1), parcel(loc2, productID, q-1))
		}
		wg.Go(func() {
			orderID := fmt.Sprintf("ord_%s%02d", prefix, i)
			err := inv.ReserveStock(context.Background(), orderID, order)
			if err == nil {
				err = inv.ReserveStock(context.Background(), orderID, order)
			}
			switch orderly.ErrorCode(err) {
			case "":
				mu.Lock()
				for _, a := range order {
					won[a.Location.ID] += a.Lines[0].Quantity
				}
				mu.Unlock()
			case orderly.EOUTOFSTOCK:
			default:
				t.Errorf("reserve: %v", err)
			}
		})
	}
	wg.Wait()
	return won
}

func lastLine(out, prefix string) string {
	for _, l := range slices.Backward(strings.Split(out, "\n")) {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			return v
		}
	}
	return ""
}
