package orderly

import (
	"testing"
	"time"
)

var ledgerT0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func auth(id string, cents int64) PaymentEntry {
	exp := ledgerT0.Add(7 * 24 * time.Hour)
	return PaymentEntry{ID: id, Kind: PaymentAuthorization, Amount: USD(cents), PaymentID: "pay_1", TransactionID: "txn_" + id, ExpiresAt: &exp, At: ledgerT0}
}

func entry(kind PaymentEntryKind, id string, cents int64) PaymentEntry {
	return PaymentEntry{ID: id, Kind: kind, Amount: USD(cents), PaymentID: "pay_1", TransactionID: "txn_" + id, At: ledgerT0}
}

func TestSummarizePayments(t *testing.T) {
	decline := PaymentEntry{ID: "a1", Kind: PaymentDecline, Amount: USD(5000), PaymentID: "pay_1", DeclineReason: DeclineInsufficientFunds}
	tests := []struct {
		name                                       string
		ledger                                     []PaymentEntry
		authorized, captured, refunded, voided, bl int64
		status                                     PaymentStatus
	}{
		{"empty", nil, 0, 0, 0, 0, 0, ""},
		{"declined", []PaymentEntry{decline}, 0, 0, 0, 0, 0, PaymentDeclined},
		{"authorized", []PaymentEntry{auth("a1", 5000)}, 5000, 0, 0, 0, 0, PaymentAuthorized},
		{"re-authorized replaces the hold", []PaymentEntry{auth("a1", 5000), auth("a2", 5000)}, 5000, 0, 0, 0, 0, PaymentAuthorized},
		{"voided", []PaymentEntry{auth("a1", 5000), entry(PaymentVoid, "v1", 5000)}, 0, 0, 0, 5000, 0, PaymentVoided},
		{"partially captured", []PaymentEntry{auth("a1", 5000), entry(PaymentCapture, "c1", 2000)}, 3000, 2000, 0, 0, 2000, PaymentPartiallyCaptured},
		{"captured in two parts", []PaymentEntry{auth("a1", 5000), entry(PaymentCapture, "c1", 2000), entry(PaymentCapture, "c2", 3000)},
			0, 5000, 0, 0, 5000, PaymentCaptured},
		{"the rest voided after a partial capture", []PaymentEntry{auth("a1", 5000), entry(PaymentCapture, "c1", 2000), entry(PaymentVoid, "v1", 3000)},
			0, 2000, 0, 3000, 2000, PaymentCaptured},
		{"partially refunded", []PaymentEntry{auth("a1", 5000), entry(PaymentCapture, "c1", 5000), entry(PaymentRefund, "r1", 1200)},
			0, 5000, 1200, 0, 3800, PaymentPartiallyRefunded},
		{"refunded in two parts", []PaymentEntry{auth("a1", 5000), entry(PaymentCapture, "c1", 5000),
			entry(PaymentRefund, "r1", 1200), entry(PaymentRefund, "r2", 3800)}, 0, 5000, 5000, 0, 0, PaymentRefunded},
		{"a decline of the re-authorization keeps the hold", []PaymentEntry{auth("a1", 5000), decline}, 5000, 0, 0, 0, 0, PaymentAuthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := SummarizePayments("USD", tt.ledger)
			got := [5]int64{s.Authorized.Amount, s.Captured.Amount, s.Refunded.Amount, s.Voided.Amount, s.Balance.Amount}
			if want := [5]int64{tt.authorized, tt.captured, tt.refunded, tt.voided, tt.bl}; got != want || s.Status != tt.status {
				t.Errorf("authorized/captured/refunded/voided/balance = %v %s, want %v %s", got, s.Status, want, tt.status)
			}
			if s.Balance.Currency != "USD" || s.Authorized.Currency != "USD" {
				t.Errorf("currency lost: %+v", s)
			}
			if (s.Authorized.Amount > 0) != (s.ExpiresAt != nil) {
				t.Errorf("ExpiresAt = %v with %s held", s.ExpiresAt, s.Authorized)
			}
		})
	}
}

func TestCheckRefund(t *testing.T) {
	captured := SummarizePayments("USD", []PaymentEntry{auth("a1", 5000), entry(PaymentCapture, "c1", 5000), entry(PaymentRefund, "r1", 1000)})
	authorized := SummarizePayments("USD", []PaymentEntry{auth("a1", 5000)})
	tests := []struct {
		name string
		s    PaymentSummary
		m    Money
		code string
	}{
		{"what is left", captured, USD(4000), ""},
		{"part of it", captured, USD(1), ""},
		{"a cent too much", captured, USD(4001), EOVERREFUND},
		{"nothing captured", authorized, USD(100), EOVERREFUND},
		{"zero", captured, USD(0), EINVALID},
		{"negative", captured, USD(-5), EINVALID},
		{"another currency", captured, Money{Amount: 100, Currency: "EUR"}, EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(tt.s.CheckRefund("input.amount", tt.m)); got != tt.code {
				t.Errorf("code = %q, want %q", got, tt.code)
			}
		})
	}
}

func TestLinesRefund(t *testing.T) {
	lines := []OrderLine{
		{ProductID: "p1", Name: "Lamp", UnitPrice: USD(1500), Quantity: 2, LineTotal: USD(3000)},
		{ProductID: "p2", Name: "Mug", UnitPrice: USD(500), Quantity: 3, LineTotal: USD(1500)},
	}
	ledger := []PaymentEntry{auth("a1", 4500), entry(PaymentCapture, "c1", 4500)}
	refundedMug := entry(PaymentRefund, "r1", 1000)
	refundedMug.Lines = []LineQuantity{{ProductID: "p2", Quantity: 2}}
	tests := []struct {
		name   string
		ledger []PaymentEntry
		want   []LineQuantity
		amount int64
		code   string
		field  string
	}{
		{"two lines", ledger, []LineQuantity{{"p1", 1}, {"p2", 3}}, 3000, "", ""},
		{"all of a line", ledger, []LineQuantity{{"p1", 2}}, 3000, "", ""},
		{"more than bought", ledger, []LineQuantity{{"p1", 3}}, 0, EOVERREFUND, "input.lines.0.quantity"},
		{"more than left after a refund of lines", append(ledger, refundedMug), []LineQuantity{{"p2", 2}}, 0, EOVERREFUND, "input.lines.0.quantity"},
		{"what is left after a refund of lines", append(ledger, refundedMug), []LineQuantity{{"p2", 1}}, 500, "", ""},
		{"unknown product", ledger, []LineQuantity{{"p9", 1}}, 0, EINVALID, "input.lines.0.productId"},
		{"a line twice", ledger, []LineQuantity{{"p1", 1}, {"p1", 1}}, 0, EINVALID, "input.lines.1.productId"},
		{"zero units", ledger, []LineQuantity{{"p1", 0}}, 0, EINVALID, "input.lines.0.quantity"},
		{"no lines", ledger, nil, 0, EINVALID, "input.lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := LinesRefund("input.lines", lines, tt.ledger, tt.want)
			if ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want code %q", err, tt.code)
			}
			if err != nil {
				if f := err.(*Error).Field; f != tt.field {
					t.Errorf("field = %q, want %q", f, tt.field)
				}
				return
			}
			if m != USD(tt.amount) {
				t.Errorf("amount = %s, want %s", m, USD(tt.amount))
			}
		})
	}
}

func TestCaptureAmount(t *testing.T) {
	a := []OrderLine{{ProductID: "p1", LineTotal: USD(3000)}}
	b := []OrderLine{{ProductID: "p2", LineTotal: USD(1500)}}
	held := []PaymentEntry{auth("a1", 4999)}
	if got := CaptureAmount(a, USD(499), held); got != USD(3499) {
		t.Errorf("first capture = %s, want the lines and the shipping", got)
	}
	afterFirst := append(held, entry(PaymentCapture, "c1", 3499))
	if got := CaptureAmount(b, USD(499), afterFirst); got != USD(1500) {
		t.Errorf("second capture = %s, want the lines only", got)
	}
	if got := CaptureAmount(append(a, b...), USD(499), []PaymentEntry{auth("a1", 1000)}); got != USD(1000) {
		t.Errorf("capture = %s, want no more than the hold", got)
	}
}

func TestReauthorizeAt(t *testing.T) {
	tests := []struct {
		life, want time.Duration
	}{
		{7 * 24 * time.Hour, 7*24*time.Hour - 7*24*time.Hour/5},
		{time.Minute, 48 * time.Second},
		{10 * time.Second, 8 * time.Second},
	}
	for _, tt := range tests {
		if got := ReauthorizeAt(ledgerT0, ledgerT0.Add(tt.life)); !got.Equal(ledgerT0.Add(tt.want)) {
			t.Errorf("ReauthorizeAt(life %s) = +%s, want +%s", tt.life, got.Sub(ledgerT0), tt.want)
		}
	}
}

func TestApplyLedgerEntries(t *testing.T) {
	o := &Order{ID: "ord_1", Status: StatusInventoryReserved, Version: 3, Total: USD(5000)}
	step := func(o *Order, e OrderEvent) (*Order, error) {
		next, _, err := o.Apply(e, ledgerT0)
		return next, err
	}
	a := auth("auth:ord_1:1", 5000)
	o, err := step(o, OrderEvent{ID: a.ID, Status: StatusPaymentAuthorized, PaymentEntry: &a})
	if err != nil || len(o.Ledger) != 1 || o.PaymentSummary().Status != PaymentAuthorized {
		t.Fatalf("authorize: %v, %+v", err, o.Ledger)
	}
	tooMuch := entry(PaymentCapture, "capture:shp_1", 5001)
	if _, err := step(o, OrderEvent{ID: tooMuch.ID, PaymentEntry: &tooMuch}); ErrorCode(err) != ECONFLICT {
		t.Errorf("capture above the hold = %v, want ECONFLICT", err)
	}
	refund := entry(PaymentRefund, "refund:ord_1:1", 100)
	if _, err := step(o, OrderEvent{ID: refund.ID, PaymentEntry: &refund}); ErrorCode(err) != EOVERREFUND {
		t.Errorf("refund before capture = %v, want EOVERREFUND", err)
	}
	if _, err := step(o, OrderEvent{ID: "cancel", Status: StatusCancelled}); ErrorCode(err) != ECONFLICT {
		t.Errorf("cancel with money held = %v, want ECONFLICT", err)
	}
	again := a
	if _, err := step(o, OrderEvent{ID: "another event, the same entry", PaymentEntry: &again}); ErrorCode(err) != ECONFLICT {
		t.Errorf("an entry ID twice = %v, want ECONFLICT", err)
	}
	eur := entry(PaymentCapture, "capture:eur", 10)
	eur.Amount.Currency = "EUR"
	if _, err := step(o, OrderEvent{ID: eur.ID, PaymentEntry: &eur}); ErrorCode(err) != EINVALID {
		t.Errorf("another currency = %v, want EINVALID", err)
	}
	bad := entry("REVERSAL", "x", 10)
	if _, err := step(o, OrderEvent{ID: "x", PaymentEntry: &bad}); ErrorCode(err) != EINVALID {
		t.Errorf("unknown kind = %v, want EINVALID", err)
	}

	v := entry(PaymentVoid, "void:ord_1:1", 5000)
	voided, err := step(o, OrderEvent{ID: v.ID, PaymentEntry: &v})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := step(voided, OrderEvent{ID: "cancel", Status: StatusCancelled}); err != nil {
		t.Errorf("cancel once the hold is voided = %v", err)
	}

	c := entry(PaymentCapture, "capture:shp_1", 5000)
	captured, err := step(o, OrderEvent{ID: c.ID, PaymentEntry: &c})
	if err != nil {
		t.Fatal(err)
	}
	r1 := entry(PaymentRefund, "refund:ord_1:1", 2000)
	if captured, err = step(captured, OrderEvent{ID: r1.ID, PaymentEntry: &r1}); err != nil {
		t.Fatal(err)
	}
	r2 := entry(PaymentRefund, "refund:ord_1:2", 3001)
	if _, err := step(captured, OrderEvent{ID: r2.ID, PaymentEntry: &r2}); ErrorCode(err) != EOVERREFUND {
		t.Errorf("refund past what is left = %v, want EOVERREFUND", err)
	}
	if s := captured.PaymentSummary(); s.Status != PaymentPartiallyRefunded || s.Balance != USD(3000) {
		t.Errorf("summary = %+v", s)
	}
}

func TestMoneyHeldCountsTheSingleCharge(t *testing.T) {
	o := &Order{ID: "ord_1", Status: StatusRefunded, Version: 8, Total: USD(5000),
		Payment: &Payment{ID: "pay_ord_1", Amount: USD(5000), Status: PaymentCharged}}
	if _, _, err := o.Apply(OrderEvent{ID: "c", Status: StatusCancelled}, ledgerT0); ErrorCode(err) != ECONFLICT {
		t.Errorf("cancel with the charge kept = %v, want ECONFLICT", err)
	}
	o.Payment.Status = PaymentRefunded
	if _, _, err := o.Apply(OrderEvent{ID: "c", Status: StatusCancelled}, ledgerT0); err != nil {
		t.Errorf("cancel once refunded = %v", err)
	}
}
