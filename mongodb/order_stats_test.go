package mongodb

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

func TestOrdersChangedSince(t *testing.T) {
	ctx := context.Background()
	svc := NewOrderService(newTestDB(t))
	old := createOrder(t, svc, "cus_a", "")
	time.Sleep(5 * time.Millisecond)
	since := time.Now().UTC().Truncate(time.Millisecond)
	time.Sleep(2 * time.Millisecond)
	var changed []string
	for range 4 {
		o := createOrder(t, svc, "cus_a", "")
		time.Sleep(2 * time.Millisecond)
		changed = append(changed, o.ID)
	}
	time.Sleep(2 * time.Millisecond)
	// The first changes again, last: it is listed first.
	if _, err := svc.ApplyOrderEvent(ctx, changed[0], orderly.OrderEvent{ID: "validated", Status: orderly.StatusValidated}); err != nil {
		t.Fatal(err)
	}
	want := []string{changed[0], changed[3], changed[2], changed[1]}

	got, more, err := svc.OrdersChangedSince(ctx, since, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range got {
		ids = append(ids, o.ID)
		if o.ID == old.ID {
			t.Error("an order last changed before since was read")
		}
		if len(o.Lines) != 0 || o.ShippingAddress.Name != "" {
			t.Errorf("%s: lines and address were read: %+v", o.ID, o)
		}
		if len(o.Timeline) == 0 || o.CreatedAt.IsZero() || o.Status == "" {
			t.Errorf("%s: the dashboard's fields are missing: %+v", o.ID, o)
		}
	}
	if !slices.Equal(ids, want) || more {
		t.Errorf("changed since: %v more=%v\nwant %v more=false", ids, more, want)
	}
	if got[0].Status != orderly.StatusValidated || len(got[0].Timeline) != 2 {
		t.Errorf("the changed order as read: %+v", got[0])
	}

	got, more, err = svc.OrdersChangedSince(ctx, since, 3)
	if err != nil || len(got) != 3 || !more || got[0].ID != want[0] {
		t.Errorf("limit 3: %d orders, more=%v, %v", len(got), more, err)
	}
	got, more, err = svc.OrdersChangedSince(ctx, time.Now().Add(time.Minute), 10)
	if err != nil || len(got) != 0 || more {
		t.Errorf("since the future: %d orders, more=%v, %v", len(got), more, err)
	}
}

func TestCountOrdersByStatus(t *testing.T) {
	ctx := context.Background()
	svc := NewOrderService(newTestDB(t))
	counts, err := svc.CountOrdersByStatus(ctx)
	if err != nil || len(counts) != 0 {
		t.Fatalf("no orders: %v, %v", counts, err)
	}
	var orders []*orderly.Order
	for i := range 6 {
		o := createOrder(t, svc, fmt.Sprint("cus_", i%2), "")
		orders = append(orders, o)
	}
	for i, st := range []orderly.OrderStatus{orderly.StatusValidated, orderly.StatusValidated, orderly.StatusFailed} {
		o, err := svc.ApplyOrderEvent(ctx, orders[i].ID, orderly.OrderEvent{ID: "ev", Status: st})
		if err != nil {
			t.Fatal(err)
		}
		orders[i] = o
	}
	counts, err = svc.CountOrdersByStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The root's count of the same orders is the rule.
	if want := orderly.CountByStatus(orders); fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("counts = %v, want %v", counts, want)
	}
	if counts[orderly.StatusReceived] != 3 || counts[orderly.StatusValidated] != 2 || counts[orderly.StatusFailed] != 1 {
		t.Errorf("counts = %v", counts)
	}
}
