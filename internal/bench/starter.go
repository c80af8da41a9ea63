package bench

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/internal/bench/bare"
)

// starter is one client of the bare program: a customer who starts an
// order workflow and waits for its result, as placeOrder and following the
// order do for Orderly.
type starter struct {
	temporal   client.Client
	customerID string
	shipping   bare.ShippingOptions
	timeout    time.Duration
	// current is the workflow in flight, lastCompleted the last completed.
	current, lastCompleted string
}

// order runs one bare order of one unit of a product priced like Orderly's
// cheaper products, from start to result.
func (s *starter) order(ctx context.Context) sample {
	octx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	id := orderly.NewID(orderly.PrefixOrder)
	price := orderly.USD(2900)
	line := orderly.OrderLine{ProductID: "prd_bare", SKU: "KIT-004", Name: "Bamboo Cutting Board", UnitPrice: price, Quantity: 1, LineTotal: price}
	in := bare.OrderInput{
		OrderID: id, CustomerID: s.customerID, Lines: []orderly.OrderLine{line},
		Subtotal: price, ShippingCost: orderly.USD(0), Total: price,
		ShippingAddress: orderly.Address{Name: "Ada Lovelace", Line1: "12 Analytical Row", City: "London", PostalCode: "N1 9GU", Country: "GB"},
		Shipping:        s.shipping,
	}
	wid := orderly.OrderWorkflowIDFor(id)
	st := sample{start: time.Now()}
	// The start options of Orderly's workflows.Client.StartOrder.
	run, err := s.temporal.ExecuteWorkflow(octx, client.StartWorkflowOptions{
		ID:                       wid,
		TaskQueue:                bare.TaskQueueOrders,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		StaticSummary:            fmt.Sprintf("Order %s for %s: %s", id, s.customerID, price),
	}, bare.OrderWorkflow, in)
	if err == nil {
		s.current = wid
		var res bare.OrderResult
		if err = run.Get(octx, &res); err == nil && res.Status != orderly.StatusCompleted {
			err = fmt.Errorf("bare order ended %s", res.Status)
		}
	}
	st.end = time.Now()
	switch {
	case ctx.Err() != nil:
		st.outcome = aborted
	case err != nil:
		st.outcome, st.reason = errored, errorReason(err)
	default:
		st.outcome = completed
		s.current, s.lastCompleted = "", wid
	}
	return st
}
