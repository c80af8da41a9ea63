package mongodb

import (
	"context"
	"fmt"
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

// stockOf reads a product's stock and reservations straight from the store.
func stockOf(t testing.TB, db *DB, productID string) (stock int, reservations []string) {
	t.Helper()
	var doc struct {
		Stock        int      `bson:"stock"`
		Reservations []string `bson:"reservations"`
	}
	if err := db.coll(colProducts).FindOne(context.Background(), bson.D{{Key: "_id", Value: productID}}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc.Stock, doc.Reservations
}

func lines(pairs ...any) []orderly.OrderLine {
	var ls []orderly.OrderLine
	for i := 0; i < len(pairs); i += 2 {
		ls = append(ls, orderly.OrderLine{ProductID: pairs[i].(string), Quantity: pairs[i+1].(int)})
	}
	return ls
}

func TestReserveReleaseCommit(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	inv := NewInventoryService(db)
	a := insertProduct(t, db, orderly.Product{Name: "A", Stock: 10})
	b := insertProduct(t, db, orderly.Product{Name: "B", Stock: 4})
	order := lines(a.ID, 3, b.ID, 2)

	for range 2 { // the second reserve is a retry: no change
		if err := inv.ReserveStock(ctx, "ord_1", order); err != nil {
			t.Fatal(err)
		}
	}
	if s, r := stockOf(t, db, a.ID); s != 7 || !slices.Equal(r, []string{"ord_1"}) {
		t.Fatalf("after reserve: A stock %d reservations %v", s, r)
	}
	if s, _ := stockOf(t, db, b.ID); s != 2 {
		t.Fatalf("after reserve: B stock %d, want 2", s)
	}

	for range 2 { // the second release is a retry: no change
		if err := inv.ReleaseStock(ctx, "ord_1", order); err != nil {
			t.Fatal(err)
		}
	}
	if s, r := stockOf(t, db, a.ID); s != 10 || len(r) != 0 {
		t.Fatalf("after release: A stock %d reservations %v", s, r)
	}

	if err := inv.ReserveStock(ctx, "ord_2", order); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := inv.CommitStock(ctx, "ord_2", order); err != nil {
			t.Fatal(err)
		}
	}
	// Released after commit: the goods left, nothing comes back.
	if err := inv.ReleaseStock(ctx, "ord_2", order); err != nil {
		t.Fatal(err)
	}
	if s, r := stockOf(t, db, a.ID); s != 7 || len(r) != 0 {
		t.Fatalf("after commit and release: A stock %d reservations %v, want 7 []", s, r)
	}
}

func TestReserveMergesLinesOfOneProduct(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	a := insertProduct(t, db, orderly.Product{Name: "A", Stock: 5})
	inv := NewInventoryService(db)
	if err := inv.ReserveStock(ctx, "ord_1", lines(a.ID, 2, a.ID, 2)); err != nil {
		t.Fatal(err)
	}
	if s, _ := stockOf(t, db, a.ID); s != 1 {
		t.Fatalf("stock = %d, want 1", s)
	}
	if err := inv.ReleaseStock(ctx, "ord_1", lines(a.ID, 2, a.ID, 2)); err != nil {
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

	err := inv.ReserveStock(ctx, "ord_1", lines(a.ID, 2, b.ID, 2))
	wantCode(t, err, orderly.EOUTOFSTOCK)
	if msg := orderly.ErrorMessage(err); !strings.Contains(msg, "Beta Chair") {
		t.Errorf("message %q does not name the product", msg)
	}
	if s, r := stockOf(t, db, a.ID); s != 5 || len(r) != 0 {
		t.Errorf("A after failed reserve: stock %d reservations %v, want 5 []", s, r)
	}

	err = inv.ReserveStock(ctx, "ord_2", lines(a.ID, 1, "prd_missing", 1))
	wantCode(t, err, orderly.ENOTFOUND)
	if s, r := stockOf(t, db, a.ID); s != 5 || len(r) != 0 {
		t.Errorf("A after unknown product: stock %d reservations %v, want 5 []", s, r)
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
			wantCode(t, inv.ReserveStock(ctx, tt.orderID, tt.lines), orderly.EINVALID)
			wantCode(t, inv.ReleaseStock(ctx, tt.orderID, tt.lines), orderly.EINVALID)
			wantCode(t, inv.CommitStock(ctx, tt.orderID, tt.lines), orderly.EINVALID)
		})
	}
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
		wg.Go(func() { errs[i] = inv.ReserveStock(ctx, fmt.Sprintf("ord_%02d", i), lines(p.ID, 1)) })
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
		t.Fatalf("%d orders won, stock %d, %d reservations; want 7, 0, 7", won, stock, len(res))
	}
}

// TestReserveNeverOversellsAcrossProcesses runs the race from two processes
// (this test binary, re-executed), each with 25 goroutines reserving 1..3
// units of a stock of 60, starting at the same instant: the units reserved
// plus the stock left are 60.
func TestReserveNeverOversellsAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	db := newTestDB(t)
	p := insertProduct(t, db, orderly.Product{Name: "Scarce", Stock: 60})
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
	theirs, err := strconv.Atoi(lastLine(helperOut.String(), "reserved="))
	if err != nil {
		t.Fatalf("helper output: %v\n%s", err, helperOut.String())
	}
	stock, _ := stockOf(t, db, p.ID)
	if stock < 0 || mine+theirs+stock != 60 {
		t.Fatalf("reserved %d here + %d there, stock %d: want a sum of 60", mine, theirs, stock)
	}
	t.Logf("reserved %d here, %d in the other process, %d left", mine, theirs, stock)
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
	fmt.Printf("reserved=%d\n", reserveRace(t, db, os.Getenv("ORDERLY_TEST_PRODUCT"), "b"))
}

// reserveRace reserves 1..3 units from 25 goroutines, each twice (the second
// call must be a no-op), and returns the units won.
func reserveRace(t *testing.T, db *DB, productID, prefix string) int {
	inv := NewInventoryService(db)
	var mu sync.Mutex
	won := 0
	var wg sync.WaitGroup
	for i := range 25 {
		q := 1 + i%3
		wg.Go(func() {
			orderID := fmt.Sprintf("ord_%s%02d", prefix, i)
			err := inv.ReserveStock(context.Background(), orderID, lines(productID, q))
			if err == nil {
				err = inv.ReserveStock(context.Background(), orderID, lines(productID, q))
			}
			switch orderly.ErrorCode(err) {
			case "":
				mu.Lock()
				won += q
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
