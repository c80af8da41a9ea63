package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// The charge path: orders started before the payment ledger charge the
// total before shipping and refund it in full on the way out.

// charge takes the order's total under its one payment ID.
func (w *orderWorkflow) charge(ctx workflow.Context) error {
	var a *Activities
	var res ChargePaymentResult
	err := workflow.ExecuteActivity(activityOptions(ctx, stepActivity), a.ChargePayment, ChargePaymentInput{
		OrderID: w.in.OrderID, CustomerID: w.in.CustomerID, Amount: w.in.Total,
		Injection: w.takeInjection(orderly.StepPayment),
	}).Get(ctx, &res)
	if err == nil || !isDefinitelyNotApplied(err) {
		w.saga.add(CompensationRefundPayment, w.refundPayment)
	}
	if err != nil {
		return err
	}
	w.status = orderly.StatusPaid
	w.result.PaymentID = res.PaymentID
	w.notify(ctx, milestonePaid)
	return nil
}

// refundPayment is the compensation of charge.
func (w *orderWorkflow) refundPayment(ctx workflow.Context) error {
	var a *Activities
	var res RefundPaymentResult
	if err := workflow.ExecuteActivity(ctx, a.RefundPayment, RefundPaymentInput{OrderID: w.in.OrderID}).Get(ctx, &res); err != nil {
		return err
	}
	if res.Refunded {
		w.result.Refunded = true
		if w.status.CanTransitionTo(orderly.StatusRefunded) {
			w.status = orderly.StatusRefunded
		}
	}
	return nil
}
