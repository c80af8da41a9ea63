package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/orderly-shop/orderly"
)

// --- OrderProcessing: refunds and returns, the order workflow's rules
// applied synchronously through the root package.

func (s *fakeStore) RefundOrder(_ context.Context, r orderly.OrderRefund) error {
	if err := r.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[r.OrderID]
	if !ok || !s.started[r.OrderID] {
		return orderly.Errorf(orderly.ECONFLICT, "the order is no longer running")
	}
	field := "input.amount"
	var amount orderly.Money
	if r.Amount != nil {
		amount = *r.Amount
	} else {
		field = "input.lines"
		m, err := orderly.LinesRefund(field, o.Lines, o.Ledger, r.Lines)
		if err != nil {
			return err
		}
		amount = m
	}
	sum := o.PaymentSummary()
	if err := sum.CheckRefund(field, amount); err != nil {
		return err
	}
	key := orderly.RefundKey(o.ID, fmt.Sprint(len(o.Ledger)))
	e := orderly.PaymentEntry{ID: key, Kind: orderly.PaymentRefund, Amount: amount, PaymentID: sum.PaymentID,
		TransactionID: "txn_" + key, Lines: r.Lines, Reason: r.Reason, At: s.now}
	_, err := s.applyLocked(o.ID, orderly.OrderEvent{ID: "payment:" + key, PaymentEntry: &e, Detail: "Refunded " + amount.String()})
	return err
}

func (s *fakeStore) RequestReturn(_ context.Context, r orderly.ReturnRequest) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[r.OrderID]
	if !ok || !s.started[r.OrderID] {
		return "", orderly.Errorf(orderly.ECONFLICT, "the order is no longer running")
	}
	var delivered []orderly.OrderLine
	for _, sh := range o.Shipments {
		if sh.Status == orderly.ShipmentDelivered {
			delivered = append(delivered, sh.Lines...)
		}
	}
	ret, err := orderly.NewReturn(orderly.ReturnIDFor(o.ID, len(o.Returns)+1), r, o.Lines, delivered, o.Returns, o.ReturnsUntil, s.now)
	if err != nil {
		return "", err
	}
	if _, err := s.applyLocked(o.ID, orderly.OrderEvent{ID: "return:" + ret.ID, Return: &ret, Detail: "Return requested"}); err != nil {
		return "", err
	}
	return ret.ID, nil
}

// moveReturn moves a return (found by its ID) from one of the statuses
// from to next, as its workflow would.
func (s *fakeStore) moveReturn(returnID string, next orderly.ReturnStatus, note string, from ...orderly.ReturnStatus) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.orders {
		for _, r := range o.Returns {
			if r.ID != returnID {
				continue
			}
			allowed := false
			for _, f := range from {
				allowed = allowed || r.Status == f
			}
			if !allowed {
				return orderly.Errorf(orderly.ECONFLICT, "cannot move the return: it is %s", strings.ToLower(string(r.Status)))
			}
			r.Status, r.Note = next, note
			if next == orderly.ReturnApproved {
				r.Carrier, r.TrackingNumber = "UPS", "1ZRETURN"
			}
			if _, err := s.applyLocked(o.ID, orderly.OrderEvent{ID: "return:" + r.ID + ":" + string(next), Return: &r}); err != nil {
				return err
			}
			if next != orderly.ReturnReceived {
				return nil
			}
			o = s.orders[o.ID]
			amount, units := orderly.ReturnRefund(r, o.Lines, o.Ledger)
			r.Status, r.Refund = orderly.ReturnRefunded, &amount
			ev := orderly.OrderEvent{ID: "return:" + r.ID + ":REFUNDED", Return: &r}
			if amount.Amount > 0 {
				key := orderly.RefundKey(o.ID, r.ID)
				ev.PaymentEntry = &orderly.PaymentEntry{ID: key, Kind: orderly.PaymentRefund, Amount: amount,
					PaymentID: o.PaymentSummary().PaymentID, TransactionID: "txn_" + key, Lines: units, ReturnID: r.ID, At: s.now}
			}
			_, err := s.applyLocked(o.ID, ev)
			return err
		}
	}
	return orderly.Errorf(orderly.ECONFLICT, "the return is over")
}

func (s *fakeStore) ApproveReturn(_ context.Context, returnID, _ string) error {
	return s.moveReturn(returnID, orderly.ReturnApproved, "", orderly.ReturnRequested)
}

func (s *fakeStore) RejectReturn(_ context.Context, returnID, _, reason string) error {
	return s.moveReturn(returnID, orderly.ReturnRejected, reason, orderly.ReturnRequested)
}

func (s *fakeStore) MarkReturnReceived(_ context.Context, returnID, _ string) error {
	return s.moveReturn(returnID, orderly.ReturnReceived, "", orderly.ReturnApproved, orderly.ReturnInTransit)
}

func (s *fakeStore) CancelReturn(_ context.Context, returnID, _ string) error {
	return s.moveReturn(returnID, orderly.ReturnCancelled, "", orderly.ReturnRequested, orderly.ReturnApproved)
}
