package mongodb

import (
	"context"
	"sync"
	"testing"

	"github.com/orderly-shop/orderly"
)

func TestChargeIsOncePerPaymentID(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	ps := NewPaymentService(db)
	p := orderly.Payment{ID: orderly.PaymentIDFor("ord_1"), OrderID: "ord_1", CustomerID: "cus_a", Amount: orderly.USD(10300)}

	first, err := ps.Charge(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if first.Status != orderly.PaymentCharged || first.ChargedAt.IsZero() || first.Amount != orderly.USD(10300) {
		t.Fatalf("first charge = %+v", first)
	}
	// A retry, even with another amount, returns the first charge.
	retry := p
	retry.Amount = orderly.USD(1)
	second, err := ps.Charge(ctx, retry)
	if err != nil {
		t.Fatal(err)
	}
	if *second != *first {
		t.Fatalf("second charge = %+v, want the first %+v", second, first)
	}
	if n, err := db.coll(colPayments).CountDocuments(ctx, map[string]any{}); err != nil || n != 1 {
		t.Fatalf("%d payments stored, %v; want 1", n, err)
	}
}

func TestChargeRace(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	ps := NewPaymentService(db)
	var wg sync.WaitGroup
	results := make([]*orderly.Payment, 20)
	for i := range results {
		wg.Go(func() {
			p, err := ps.Charge(ctx, orderly.Payment{ID: "pay_ord_1", OrderID: "ord_1", Amount: orderly.USD(int64(100 + i))})
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = p
		})
	}
	wg.Wait()
	for _, p := range results {
		if p != nil && *p != *results[0] {
			t.Fatalf("charges differ: %+v vs %+v", p, results[0])
		}
	}
	if n, err := db.coll(colPayments).CountDocuments(ctx, map[string]any{}); err != nil || n != 1 {
		t.Fatalf("%d payments stored, %v; want 1", n, err)
	}
}

func TestRefund(t *testing.T) {
	ctx := context.Background()
	ps := NewPaymentService(newTestDB(t))
	if _, err := ps.Charge(ctx, orderly.Payment{ID: "pay_ord_1", OrderID: "ord_1", Amount: orderly.USD(500)}); err != nil {
		t.Fatal(err)
	}
	r1, err := ps.Refund(ctx, "pay_ord_1")
	if err != nil {
		t.Fatal(err)
	}
	if r1.Status != orderly.PaymentRefunded || r1.RefundedAt == nil {
		t.Fatalf("refund = %+v", r1)
	}
	r2, err := ps.Refund(ctx, "pay_ord_1")
	if err != nil || r2.Status != orderly.PaymentRefunded || !r2.RefundedAt.Equal(*r1.RefundedAt) {
		t.Fatalf("second refund = %+v, %v; want the first unchanged", r2, err)
	}
	// A charge after the refund does not charge again.
	c, err := ps.Charge(ctx, orderly.Payment{ID: "pay_ord_1", OrderID: "ord_1", Amount: orderly.USD(500)})
	if err != nil || c.Status != orderly.PaymentRefunded {
		t.Fatalf("charge after refund = %+v, %v", c, err)
	}
	_, err = ps.Refund(ctx, "pay_never")
	wantCode(t, err, orderly.ENOTFOUND)
	_, err = ps.FindPaymentByID(ctx, "pay_never")
	wantCode(t, err, orderly.ENOTFOUND)
}

func TestChargeRejectsBadInput(t *testing.T) {
	ps := NewPaymentService(newTestDB(t))
	for name, p := range map[string]orderly.Payment{
		"no ID":       {OrderID: "ord_1", Amount: orderly.USD(1)},
		"no order":    {ID: "pay_1", Amount: orderly.USD(1)},
		"zero amount": {ID: "pay_1", OrderID: "ord_1"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ps.Charge(context.Background(), p)
			wantCode(t, err, orderly.EINVALID)
		})
	}
}
