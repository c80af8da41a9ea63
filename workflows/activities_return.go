package workflows

import (
	"context"
	"fmt"
	"time"

	"github.com/orderly-shop/orderly"
)

// ReturnStepInput is the input of the return activities.
type ReturnStepInput struct {
	OrderID string
	// Return is the return as its workflow last saw it.
	Return  orderly.Return
	Address orderly.Address `json:",omitzero"`
	// Note says how the step came about ("approved automatically: …",
	// "delivered by UPS").
	Note string `json:",omitempty"`
}

// CreateReturnLabel books the carrier for the return parcel and records the
// return APPROVED with its label. Carrier and tracking number derive from
// the return, so a retry books the same label.
func (a *Activities) CreateReturnLabel(ctx context.Context, in ReturnStepInput) (orderly.Return, error) {
	r := in.Return
	r.Status = orderly.ReturnApproved
	r.Carrier = carrierFor(in.Address)
	r.TrackingNumber = trackingNumberFor("return:" + r.ID)
	r.UpdatedAt = time.Now().UTC().Truncate(time.Millisecond)
	detail := fmt.Sprintf("Return %s approved: label with %s, tracking %s", r.ID, r.Carrier, r.TrackingNumber)
	if in.Note != "" {
		detail += " (" + in.Note + ")"
	}
	if _, err := a.apply(ctx, in.OrderID, orderly.OrderEvent{
		ID: returnEventID(r.ID, orderly.ReturnApproved), Kind: orderly.EntryInfo, Return: &r, Detail: detail,
	}); err != nil {
		return orderly.Return{}, err
	}
	return r, nil
}

// ReceiveReturn puts the returned units back in stock (once per return)
// and records the return RECEIVED.
func (a *Activities) ReceiveReturn(ctx context.Context, in ReturnStepInput) (orderly.Return, error) {
	r := in.Return
	if err := a.Inventory.RestockReturn(ctx, r.ID, "", r.Lines); err != nil {
		return orderly.Return{}, serviceError("restock return", err)
	}
	r.Status = orderly.ReturnReceived
	r.UpdatedAt = time.Now().UTC().Truncate(time.Millisecond)
	if _, err := a.apply(ctx, in.OrderID, orderly.OrderEvent{
		ID: returnEventID(r.ID, orderly.ReturnReceived), Kind: orderly.EntryInfo, Return: &r,
		Detail: fmt.Sprintf("Return %s received (%s): %d unit(s) back in stock", r.ID, in.Note, units(r.Lines)),
	}); err != nil {
		return orderly.Return{}, err
	}
	return r, nil
}
