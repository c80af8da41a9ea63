package orderly

import (
	"slices"
	"testing"
	"time"
)

func returnFixture() (lines []OrderLine, deadline time.Time) {
	lines = []OrderLine{
		{ProductID: "p1", Name: "Lamp", UnitPrice: USD(1500), Quantity: 2, LineTotal: USD(3000)},
		{ProductID: "p2", Name: "Mug", UnitPrice: USD(500), Quantity: 3, LineTotal: USD(1500)},
	}
	return lines, ledgerT0.Add(DefaultReturnWindow)
}

func TestNewReturn(t *testing.T) {
	lines, deadline := returnFixture()
	earlier := Return{ID: "ret_1", Status: ReturnApproved, Lines: []OrderLine{{ProductID: "p2", Quantity: 2}}}
	rejected := Return{ID: "ret_2", Status: ReturnRejected, Lines: []OrderLine{{ProductID: "p1", Quantity: 2}}}
	now := ledgerT0.Add(time.Hour)
	tests := []struct {
		name      string
		delivered []OrderLine
		returns   []Return
		deadline  *time.Time
		now       time.Time
		want      []LineQuantity
		code      string
		field     string
	}{
		{"within the window", lines, nil, &deadline, now, []LineQuantity{{"p1", 1}, {"p2", 3}}, "", ""},
		{"not delivered", nil, nil, nil, now, []LineQuantity{{"p1", 1}}, ENOTDELIVERED, ""},
		{"a line not delivered", lines[:1], nil, &deadline, now, []LineQuantity{{"p2", 1}}, ENOTDELIVERED, "input.lines.0.productId"},
		{"after the window", lines, nil, &deadline, deadline.Add(time.Second), []LineQuantity{{"p1", 1}}, ERETURNCLOSED, ""},
		{"at the window's last instant", lines, nil, &deadline, deadline, []LineQuantity{{"p1", 1}}, "", ""},
		{"more than delivered", lines, nil, &deadline, now, []LineQuantity{{"p1", 3}}, ERETURNQUANTITY, "input.lines.0.quantity"},
		{"more than delivered minus returned", lines, []Return{earlier}, &deadline, now, []LineQuantity{{"p2", 2}}, ERETURNQUANTITY, "input.lines.0.quantity"},
		{"what is left after a return", lines, []Return{earlier}, &deadline, now, []LineQuantity{{"p2", 1}}, "", ""},
		{"a rejected return does not count", lines, []Return{rejected}, &deadline, now, []LineQuantity{{"p1", 2}}, "", ""},
		{"unknown product", lines, nil, &deadline, now, []LineQuantity{{"p9", 1}}, EINVALID, "input.lines.0.productId"},
		{"zero units", lines, nil, &deadline, now, []LineQuantity{{"p1", 0}}, EINVALID, "input.lines.0.quantity"},
		{"a line twice", lines, nil, &deadline, now, []LineQuantity{{"p1", 1}, {"p1", 1}}, EINVALID, "input.lines.1.productId"},
		{"no lines", lines, nil, &deadline, now, nil, EINVALID, "input.lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReturn("ret_3", ReturnRequest{OrderID: "ord_1", Lines: tt.want, Reason: "too big"},
				lines, tt.delivered, tt.returns, tt.deadline, tt.now)
			if ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want code %q", err, tt.code)
			}
			if err != nil {
				if f := err.(*Error).Field; f != tt.field {
					t.Errorf("field = %q, want %q", f, tt.field)
				}
				return
			}
			if r.ID != "ret_3" || r.Status != ReturnRequested || len(r.Lines) != len(tt.want) || r.Reason != "too big" {
				t.Fatalf("return = %+v", r)
			}
			for i, l := range r.Lines {
				if l.Quantity != tt.want[i].Quantity || l.LineTotal != l.UnitPrice.Times(l.Quantity) || l.Name == "" {
					t.Errorf("line %d = %+v, want %d units priced as bought", i, l, tt.want[i].Quantity)
				}
			}
		})
	}
}

func TestReturnTransitions(t *testing.T) {
	tests := []struct {
		from, to ReturnStatus
		ok       bool
	}{
		{ReturnRequested, ReturnApproved, true},
		{ReturnRequested, ReturnRejected, true},
		{ReturnRequested, ReturnCancelled, true},
		{ReturnApproved, ReturnInTransit, true},
		{ReturnApproved, ReturnReceived, true},
		{ReturnApproved, ReturnCancelled, true},
		{ReturnInTransit, ReturnReceived, true},
		{ReturnReceived, ReturnRefunded, true},
		// Sent parcels cannot be cancelled; nothing is refunded unreceived.
		{ReturnInTransit, ReturnCancelled, false},
		{ReturnApproved, ReturnRefunded, false},
		{ReturnRequested, ReturnReceived, false},
		{ReturnRejected, ReturnApproved, false},
		{ReturnRefunded, ReturnRequested, false},
	}
	for _, tt := range tests {
		if got := tt.from.CanTransitionTo(tt.to); got != tt.ok {
			t.Errorf("%s -> %s = %v, want %v", tt.from, tt.to, got, tt.ok)
		}
	}
	for _, s := range AllReturnStatuses {
		if s.IsFinal() && len(returnTransitions[s]) > 0 {
			t.Errorf("final status %s has moves", s)
		}
		if s.CanCancel() != (s == ReturnRequested || s == ReturnApproved) {
			t.Errorf("%s.CanCancel() = %v", s, s.CanCancel())
		}
	}
}

func TestApplyReturns(t *testing.T) {
	lines, _ := returnFixture()
	o := &Order{ID: "ord_1", Status: StatusCompleted, Version: 9, Total: USD(4500), Lines: lines}
	r := Return{ID: "ret_ord_1_1", Status: ReturnRequested, Lines: []OrderLine{lines[0]}}
	o, _, err := o.Apply(OrderEvent{ID: "return:1:REQUESTED", Return: &r}, ledgerT0)
	if err != nil || len(o.Returns) != 1 || o.Returns[0].UpdatedAt.IsZero() {
		t.Fatalf("request: %v, %+v", err, o.Returns)
	}
	skip := r
	skip.Status = ReturnRefunded
	if _, _, err := o.Apply(OrderEvent{ID: "return:1:REFUNDED", Return: &skip}, ledgerT0); ErrorCode(err) != ECONFLICT {
		t.Errorf("REQUESTED -> REFUNDED = %v, want ECONFLICT", err)
	}
	approved := r
	approved.Status, approved.Carrier = ReturnApproved, "UPS"
	o2, _, err := o.Apply(OrderEvent{ID: "return:1:APPROVED", Return: &approved}, ledgerT0)
	if err != nil || o2.Returns[0].Status != ReturnApproved || o.Returns[0].Status != ReturnRequested {
		t.Errorf("approve: %v; the return must be replaced in a copy: %+v / %+v", err, o2.Returns, o.Returns)
	}
	fresh := Return{ID: "ret_ord_1_2", Status: ReturnApproved, Lines: lines}
	if _, _, err := o.Apply(OrderEvent{ID: "return:2:APPROVED", Return: &fresh}, ledgerT0); ErrorCode(err) != ECONFLICT {
		t.Errorf("a new return that is not REQUESTED = %v, want ECONFLICT", err)
	}
	until := ledgerT0.Add(time.Hour)
	o3, _, err := o.Apply(OrderEvent{ID: "window", ReturnsUntil: &until}, ledgerT0)
	if err != nil || o3.ReturnsUntil == nil || !o3.ReturnsUntil.Equal(until) {
		t.Errorf("returns until = %v, %v", o3.ReturnsUntil, err)
	}
}

func TestReturnRefund(t *testing.T) {
	lines, _ := returnFixture()
	captured := []PaymentEntry{auth("a1", 4500), entry(PaymentCapture, "c1", 4500)}
	r := Return{ID: "ret_1", Lines: []OrderLine{
		{ProductID: "p1", UnitPrice: USD(1500), Quantity: 1, LineTotal: USD(1500)},
		{ProductID: "p2", UnitPrice: USD(500), Quantity: 2, LineTotal: USD(1000)},
	}}
	if got, paid := ReturnRefund(r, lines, captured); got != USD(2500) || len(paid) != 2 || paid[1] != (LineQuantity{"p2", 2}) {
		t.Errorf("refund = %s for %v, want the lines' worth", got, paid)
	}
	mugs := entry(PaymentRefund, "r0", 1000)
	mugs.Lines = []LineQuantity{{ProductID: "p2", Quantity: 2}}
	if got, paid := ReturnRefund(r, lines, append(captured, mugs)); got != USD(2000) || len(paid) != 2 || paid[1] != (LineQuantity{"p2", 1}) {
		t.Errorf("refund = %s for %v, want one mug less (2 of 3 refunded already)", got, paid)
	}
	most := entry(PaymentRefund, "r0", 4000)
	if got, _ := ReturnRefund(r, lines, append(captured, most)); got != USD(500) {
		t.Errorf("refund = %s, want only what is left to refund", got)
	}
	if got := r.Worth(); got != USD(2500) {
		t.Errorf("worth = %s", got)
	}
}

func TestOrderReturnHelpers(t *testing.T) {
	lines, deadline := returnFixture()
	o := &Order{ID: "ord_1", Status: StatusCompleted, Lines: lines, Total: USD(4500),
		Shipments: []Shipment{{ID: "shp_1", Status: ShipmentDelivered, Lines: lines}},
		Returns:   []Return{{ID: "ret_1", Status: ReturnApproved, Lines: []OrderLine{{ProductID: "p1", Quantity: 1}}}},
		Ledger:    []PaymentEntry{auth("a1", 4500), entry(PaymentCapture, "c1", 4500)},
	}
	if got := o.ReturnableLines(ledgerT0); len(got) != 0 {
		t.Errorf("returnable before the window opened = %v", got)
	}
	o.ReturnsUntil = &deadline
	got := o.ReturnableLines(ledgerT0)
	if want := []LineQuantity{{"p1", 1}, {"p2", 3}}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("returnable = %v, want %v", got, want)
	}
	if got := o.ReturnableLines(deadline.Add(time.Second)); len(got) != 0 {
		t.Errorf("returnable after the window = %v", got)
	}
	if r, ok := o.Return("ret_1"); !ok || r.Status != ReturnApproved {
		t.Errorf("Return = %+v, %v", r, ok)
	}
	if _, ok := o.Return("ret_9"); ok {
		t.Error("found a return that is not there")
	}
	tests := []struct {
		name string
		edit func(*Order)
		at   time.Time
		want bool
	}{
		{"in the window", func(*Order) {}, ledgerT0, true},
		{"after the window, a return still open", func(*Order) {}, deadline.Add(time.Hour), true},
		{"after the window, every return over", func(o *Order) { o.Returns[0].Status = ReturnRejected }, deadline.Add(time.Hour), false},
		{"shipped, not completed", func(o *Order) { o.Status, o.ReturnsUntil = StatusShipped, nil }, ledgerT0, true},
		{"nothing left to refund", func(o *Order) { o.Ledger = append(o.Ledger, entry(PaymentRefund, "r1", 4500)) }, ledgerT0, false},
		{"nothing captured", func(o *Order) { o.Ledger = o.Ledger[:1] }, ledgerT0, false},
		{"cancelled", func(o *Order) { o.Status = StatusCancelled }, ledgerT0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := *o
			c.Returns = slices.Clone(o.Returns)
			c.Ledger = slices.Clone(o.Ledger)
			tt.edit(&c)
			if got := c.CanRefund(tt.at); got != tt.want {
				t.Errorf("CanRefund = %v, want %v", got, tt.want)
			}
		})
	}
}
