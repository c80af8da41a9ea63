package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// paymentState is the order workflow's side of the payment ledger: a copy
// of the entries its activities wrote (each activity returns the entry it
// recorded), so that the root package's rules (PaymentSummary, CheckRefund,
// CaptureAmount) answer from the same rows the store holds.
type paymentState struct {
	// ledger mirrors the order's ledger, in the order written.
	ledger []orderly.PaymentEntry
	// paymentID is the provider's payment, once authorized.
	paymentID string
	// authorizations counts the authorizations asked for (the next one's
	// key is AuthorizationKey(order, authorizations+1)).
	authorizations int
	// heldSince and heldFor date the current hold in workflow time: the
	// provider's clock is not the workflow's, its hold's lifetime is.
	heldSince time.Time
	heldFor   time.Duration
	// lock serializes the money steps (authorizations, captures, voids,
	// refunds): each checks the ledger and then moves money, and no other
	// may move it in between.
	lock workflow.Mutex
	// stopKeeper ends the re-authorization timer; nil while none runs.
	stopKeeper workflow.CancelFunc
	// refunds numbers the operators' refunds.
	refunds int
}

func newPaymentState(ctx workflow.Context) *paymentState {
	return &paymentState{lock: workflow.NewMutex(ctx)}
}

// summary adds the ledger up.
func (p *paymentState) summary(currency string) orderly.PaymentSummary {
	return orderly.SummarizePayments(currency, p.ledger)
}

// recorded takes in an entry an activity wrote.
func (p *paymentState) recorded(e orderly.PaymentEntry) {
	if e.ID == "" {
		return
	}
	p.ledger = append(p.ledger, e)
	if e.PaymentID != "" && e.Kind != orderly.PaymentDecline {
		p.paymentID = e.PaymentID
	}
}

// recordedDecline takes in the DECLINE entry that a declined call's error
// carries, if it does.
func (p *paymentState) recordedDecline(err error) {
	if _, e, ok := declined(err); ok {
		p.recorded(e)
	}
}

// authorize holds the order's total on the card. A decline ends the order
// FAILED with the decline's reason, without retries (the activity raises it
// non-retryable) and without a void: nothing is held.
func (w *orderWorkflow) authorize(ctx workflow.Context) error {
	if err := w.pay.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.pay.lock.Unlock()
	entry, err := w.authorization(ctx, activityOptions(ctx, stepActivity), w.takeInjection(orderly.StepPayment))
	if err == nil || !isDefinitelyNotApplied(err) {
		w.saga.add(CompensationVoidPayment, w.voidPayment)
	}
	if err != nil {
		if reason, ok := declineReason(err); ok {
			return &stopError{status: orderly.StatusFailed, reason: "payment declined: " + reason.Message(), failedStep: stepNamePayment}
		}
		return w.failed(stepNamePayment, err)
	}
	w.status = orderly.StatusPaymentAuthorized
	w.result.PaymentID = entry.PaymentID
	w.notify(ctx, milestoneAuthorized)
	w.keepAuthorization(ctx)
	return nil
}

// authorization runs the next AuthorizePayment: the first hold, or a
// re-authorization of the payment for what is still held. The caller holds
// the money lock.
func (w *orderWorkflow) authorization(ctx, actx workflow.Context, inj *orderly.FailureInjection) (orderly.PaymentEntry, error) {
	var a *Activities
	p := w.pay
	amount := w.in.Total
	if p.paymentID != "" {
		amount = p.summary(w.in.Total.Currency).Authorized
	}
	p.authorizations++
	var res PaymentResult
	err := workflow.ExecuteActivity(actx, a.AuthorizePayment, AuthorizePaymentInput{
		OrderID: w.in.OrderID, CustomerID: w.in.CustomerID, Amount: amount, Method: w.in.PaymentMethod,
		N: p.authorizations, PaymentID: p.paymentID, Injection: inj,
	}).Get(ctx, &res)
	if err != nil {
		p.recordedDecline(err)
		return res.Entry, err
	}
	p.recorded(res.Entry)
	p.heldSince = workflow.Now(ctx)
	p.heldFor = 0
	if e := res.Entry.ExpiresAt; e != nil {
		p.heldFor = e.Sub(res.Entry.At)
	}
	return res.Entry, nil
}

// keepAuthorization starts the durable timer that renews the hold before it
// lapses (orderly.ReauthorizeAt), for as long as something is held. A
// renewal that is declined cancels the order with the decline's reason
// while the goods are still here; after dispatch it is recorded for an
// operator, since nothing can be called back.
func (w *orderWorkflow) keepAuthorization(ctx workflow.Context) {
	p := w.pay
	if p.heldFor <= 0 {
		return
	}
	kctx, stop := workflow.WithCancel(ctx)
	p.stopKeeper = stop
	workflow.Go(kctx, func(ctx workflow.Context) {
		for {
			at := orderly.ReauthorizeAt(p.heldSince, p.heldSince.Add(p.heldFor))
			// A renewal already due (the timer's coroutine was late) waits a
			// second: timers need a positive duration.
			timer := workflow.NewTimerWithOptions(ctx, max(at.Sub(workflow.Now(ctx)), time.Second), workflow.TimerOptions{
				Summary: "re-authorize before the hold lapses",
			})
			if err := timer.Get(ctx, nil); err != nil {
				return // stopped: nothing is held any more
			}
			if err := p.lock.Lock(ctx); err != nil {
				return
			}
			held := p.summary(w.in.Total.Currency).Authorized
			if held.Amount == 0 || w.closing {
				p.lock.Unlock()
				return
			}
			_, err := w.authorization(ctx, activityOptions(ctx, stepActivity), nil)
			p.lock.Unlock()
			if err != nil {
				w.reauthorizationFailed(ctx, err)
				return
			}
		}
	})
}

// reauthorizationFailed acts on a renewal that did not go through.
func (w *orderWorkflow) reauthorizationFailed(ctx workflow.Context, err error) {
	why := "the payment authorization could not be renewed"
	if reason, ok := declineReason(err); ok {
		why += ": payment declined: " + reason.Message()
	}
	w.logger.Warn("re-authorization failed", "error", err)
	if !w.dispatched {
		w.requestCancel(why, false)
		return
	}
	_ = w.record(ctx, orderly.OrderEvent{
		ID: fmt.Sprintf("failure:reauthorize:%d", w.pay.authorizations), Kind: orderly.EntryFailure,
		Detail: upperFirst(why) + "; an operator must collect what is still due",
	})
}

// stopKeepingAuthorization ends the renewal timer, if one runs.
func (w *orderWorkflow) stopKeepingAuthorization() {
	if w.pay != nil && w.pay.stopKeeper != nil {
		w.pay.stopKeeper()
		w.pay.stopKeeper = nil
	}
}

// capture takes a dispatched shipment's amount (orderly.CaptureAmount) from
// the hold. The goods have left, so it retries for a week, and a hold that
// lapsed meanwhile (the worker was down past its expiry) is renewed and
// captured again; a capture that still cannot be made is recorded for an
// operator, since nothing can be called back.
func (w *orderWorkflow) capture(ctx workflow.Context, shipmentID string, lines []orderly.OrderLine) {
	p := w.pay
	if err := p.lock.Lock(ctx); err != nil {
		return
	}
	defer p.lock.Unlock()
	actx := activityOptions(ctx, trackingActivity)
	var err error
	for attempt := 1; attempt <= 2; attempt++ {
		amount := orderly.CaptureAmount(lines, w.in.ShippingCost, p.ledger)
		if amount.Amount == 0 {
			break
		}
		var a *Activities
		var res PaymentResult
		err = workflow.ExecuteActivity(actx, a.CapturePayment, CapturePaymentInput{
			OrderID: w.in.OrderID, PaymentID: p.paymentID, ShipmentID: shipmentID, Attempt: attempt, Amount: amount,
		}).Get(ctx, &res)
		if err != nil {
			p.recordedDecline(err)
		} else {
			p.recorded(res.Entry)
		}
		reason, declined := declineReason(err)
		if err == nil || !declined || reason != orderly.DeclineAuthorizationExpired || attempt == 2 {
			break
		}
		if _, err = w.authorization(ctx, actx, nil); err != nil {
			break
		}
	}
	if err != nil {
		w.logger.Error("cannot capture at dispatch", "shipment", shipmentID, "error", err)
		_ = w.record(ctx, orderly.OrderEvent{
			ID: "failure:capture:" + shipmentID, Kind: orderly.EntryFailure,
			Detail: fmt.Sprintf("The payment for shipment %s could not be captured (%s); an operator must collect it", shipmentID, failureReason(stepNamePayment, err)),
		})
	}
	if p.summary(w.in.Total.Currency).Authorized.Amount == 0 {
		w.stopKeepingAuthorization()
	}
}

// voidPayment is the compensation of authorize: it releases what is held
// (nothing is captured before dispatch, and the saga ends at dispatch).
func (w *orderWorkflow) voidPayment(ctx workflow.Context) error {
	p := w.pay
	if err := p.lock.Lock(ctx); err != nil {
		return err
	}
	defer p.lock.Unlock()
	w.stopKeepingAuthorization()
	var a *Activities
	var res PaymentResult
	err := workflow.ExecuteActivity(ctx, a.VoidPayment, VoidPaymentInput{
		OrderID: w.in.OrderID, PaymentID: p.paymentID, Amount: w.in.Total, Method: w.in.PaymentMethod,
	}).Get(ctx, &res)
	if err != nil {
		return err
	}
	if res.Entry.ID != "" {
		p.recorded(res.Entry)
		w.result.Voided = true
		w.result.PaymentID = res.Entry.PaymentID
	}
	return nil
}

// finishPayments puts the ledger's figures in the result.
func (w *orderWorkflow) finishPayments() {
	w.stopKeepingAuthorization()
	if w.pay == nil || len(w.pay.ledger) == 0 {
		return
	}
	s := w.pay.summary(w.in.Total.Currency)
	w.result.Payments = &s
}

// declineReason returns the reason of a PaymentDeclined error from an
// activity: a provider's refusal.
func declineReason(err error) (orderly.DeclineReason, bool) {
	reason, _, ok := declined(err)
	return reason, ok
}

// declined unpacks a PaymentDeclined error from an activity: the reason and
// the DECLINE entry it recorded travel as the error's details (see
// declinedError).
func declined(err error) (orderly.DeclineReason, orderly.PaymentEntry, bool) {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != ErrTypePaymentDeclined {
		return "", orderly.PaymentEntry{}, false
	}
	var reason orderly.DeclineReason
	var entry orderly.PaymentEntry
	if !appErr.HasDetails() || appErr.Details(&reason, &entry) != nil || !reason.Valid() {
		return orderly.DeclineDoNotHonor, orderly.PaymentEntry{}, true
	}
	return reason, entry, true
}
