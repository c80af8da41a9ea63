// Package paysim is a simulated payment service provider: the sandbox that
// Orderly's orders pay through in development and in tests. It implements
// orderly.PaymentProvider with a real PSP's rules and failure modes:
//
//   - declines by test card (TestCards), permanent and named;
//   - holds that lapse after a configurable time (AuthorizationTTL), after
//     which a capture is declined AUTHORIZATION_EXPIRED;
//   - captures up to what is held, refunds up to what was captured;
//   - transient errors and slow answers, drawn from the operator's failure
//     and latency rates for the PAYMENT step (orderly.Settings), before or
//     after the money moved — an answer lost after the money moved is what
//     idempotency keys exist for.
//
// It is the "external" system of the demo and keeps its own books: one
// durable Payment record per payment, in a Store (MongoDB in the stack,
// memory in tests), holding every answer under its idempotency key, so that
// a retried call, a killed worker or two workers racing never move money
// twice — and a test can read the provider's side to prove it.
package paysim

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/orderly-shop/orderly"
)

// DefaultAuthorizationTTL is how long a hold lasts: card networks let an
// online merchant hold funds for about a week.
const DefaultAuthorizationTTL = 7 * 24 * time.Hour

// Store keeps the provider's payment records. Implementations write a
// payment only over the version it was read at, which is what makes each
// movement happen once under concurrency.
type Store interface {
	// FindPayment returns ENOTFOUND if there is no such payment.
	FindPayment(ctx context.Context, id string) (*Payment, error)
	// CreatePayment stores a new payment (version 1). If one with its ID
	// exists, it returns that one and created=false.
	CreatePayment(ctx context.Context, p *Payment) (stored *Payment, created bool, err error)
	// UpdatePayment stores p over version p.Version-1; false if the stored
	// payment is at another version.
	UpdatePayment(ctx context.Context, p *Payment) (bool, error)
}

// Options configure a Provider.
type Options struct {
	// AuthorizationTTL is how long a hold lasts; 0 means
	// DefaultAuthorizationTTL.
	AuthorizationTTL time.Duration
	// Settings gives the failure and latency rates of the PAYMENT step;
	// nil means none.
	Settings orderly.SettingsService
	// Now is the provider's clock; time.Now if nil.
	Now func() time.Time
	// Random draws the simulated failures, in [0, 1); math/rand if nil.
	Random func() float64
	Logger *slog.Logger
}

// Provider is the simulated PSP. It is safe for concurrent use, across
// processes too when they share the store.
type Provider struct {
	store Store
	opts  Options
}

var _ orderly.PaymentProvider = (*Provider)(nil)

// New returns a Provider over store.
func New(store Store, opts Options) *Provider {
	if opts.AuthorizationTTL <= 0 {
		opts.AuthorizationTTL = DefaultAuthorizationTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Random == nil {
		opts.Random = rand.Float64
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Provider{store: store, opts: opts}
}

// maxWriteAttempts bounds the optimistic retries of one call; each lost
// round means another call on the same payment won.
const maxWriteAttempts = 50

// Authorize holds the amount: a new payment, or a re-authorization of
// req.PaymentID.
func (p *Provider) Authorize(ctx context.Context, req orderly.AuthorizeRequest) (orderly.PaymentTransaction, error) {
	if err := checkMoney(req.Amount); err != nil {
		return orderly.PaymentTransaction{}, err
	}
	r := request{op: opAuthorize, key: req.IdempotencyKey, amount: req.Amount.Amount, currency: req.Amount.Currency,
		reauthorize: req.PaymentID != ""}
	if req.PaymentID != "" {
		return p.call(ctx, req.PaymentID, r)
	}
	return p.simulated(ctx, func() (orderly.PaymentTransaction, error) {
		if req.IdempotencyKey == "" {
			return orderly.PaymentTransaction{}, orderly.FieldErrorf(orderly.EINVALID, "idempotencyKey", "an idempotency key is required")
		}
		now := p.now()
		draft := &Payment{
			ID: PaymentIDFor(req.IdempotencyKey), Reference: req.Reference, Method: req.Method,
			Currency: req.Amount.Currency, CreatedAt: now,
		}
		first, m, err := draft.apply(r, now, p.opts.AuthorizationTTL)
		if err != nil {
			return orderly.PaymentTransaction{}, err
		}
		first.Version = 1
		stored, created, err := p.store.CreatePayment(ctx, first)
		if err != nil {
			return orderly.PaymentTransaction{}, fmt.Errorf("paysim: authorize: %w", err)
		}
		if created {
			p.logged(ctx, stored, m)
			return stored.transaction(m)
		}
		// An earlier attempt created it: answer as it did.
		return p.answer(ctx, stored, r)
	})
}

// Capture takes part or all of what the payment holds.
func (p *Provider) Capture(ctx context.Context, req orderly.CaptureRequest) (orderly.PaymentTransaction, error) {
	if err := checkMoney(req.Amount); err != nil {
		return orderly.PaymentTransaction{}, err
	}
	return p.call(ctx, req.PaymentID, request{op: opCapture, key: req.IdempotencyKey, amount: req.Amount.Amount, currency: req.Amount.Currency})
}

// Void releases what the payment still holds and closes it to captures.
func (p *Provider) Void(ctx context.Context, req orderly.VoidRequest) (orderly.PaymentTransaction, error) {
	return p.call(ctx, req.PaymentID, request{op: opVoid, key: req.IdempotencyKey})
}

// Refund gives captured money back.
func (p *Provider) Refund(ctx context.Context, req orderly.RefundRequest) (orderly.PaymentTransaction, error) {
	if err := checkMoney(req.Amount); err != nil {
		return orderly.PaymentTransaction{}, err
	}
	return p.call(ctx, req.PaymentID, request{op: opRefund, key: req.IdempotencyKey, amount: req.Amount.Amount, currency: req.Amount.Currency})
}

// call answers a request on an existing payment: the recorded answer for a
// key seen before, else the rules applied and recorded in one conditional
// write of the payment.
func (p *Provider) call(ctx context.Context, paymentID string, r request) (orderly.PaymentTransaction, error) {
	return p.simulated(ctx, func() (orderly.PaymentTransaction, error) { return p.move(ctx, paymentID, r) })
}

// move is call without the simulated failures.
func (p *Provider) move(ctx context.Context, paymentID string, r request) (orderly.PaymentTransaction, error) {
	if r.key == "" {
		return orderly.PaymentTransaction{}, orderly.FieldErrorf(orderly.EINVALID, "idempotencyKey", "an idempotency key is required")
	}
	for range maxWriteAttempts {
		pay, err := p.store.FindPayment(ctx, paymentID)
		if err != nil {
			return orderly.PaymentTransaction{}, err
		}
		if m, seen, err := pay.replay(r); seen || err != nil {
			if err != nil {
				return orderly.PaymentTransaction{}, err
			}
			return pay.transaction(m)
		}
		next, m, err := pay.apply(r, p.now(), p.opts.AuthorizationTTL)
		if err != nil {
			return orderly.PaymentTransaction{}, err
		}
		ok, err := p.store.UpdatePayment(ctx, next)
		if err != nil {
			return orderly.PaymentTransaction{}, fmt.Errorf("paysim: %s: %w", r.op, err)
		}
		if ok {
			p.logged(ctx, next, m)
			return next.transaction(m)
		}
	}
	return orderly.PaymentTransaction{}, fmt.Errorf("paysim: %s on %s: still conflicting after %d attempts", r.op, paymentID, maxWriteAttempts)
}

// answer replays the answer for a key on a stored payment.
func (p *Provider) answer(ctx context.Context, pay *Payment, r request) (orderly.PaymentTransaction, error) {
	m, seen, err := pay.replay(r)
	if err != nil {
		return orderly.PaymentTransaction{}, err
	}
	if !seen {
		return p.move(ctx, pay.ID, r)
	}
	return pay.transaction(m)
}

// simulated runs a call under the PAYMENT step's random failure and
// latency rates: half the failures strike before the call (nothing moved),
// half after it (the money moved, the answer is lost), and a slow answer
// comes back after the money moved, so that an activity that times out on
// it retries a call that already happened.
func (p *Provider) simulated(ctx context.Context, call func() (orderly.PaymentTransaction, error)) (orderly.PaymentTransaction, error) {
	rate := p.rate(ctx)
	if rate.FailureProbability > 0 && p.opts.Random() < rate.FailureProbability/2 {
		return orderly.PaymentTransaction{}, orderly.Errorf(orderly.EUNAVAILABLE, "the payment provider is unavailable (simulated)")
	}
	txn, err := call()
	if rate.LatencyProbability > 0 && rate.Latency > 0 && p.opts.Random() < rate.LatencyProbability {
		t := time.NewTimer(rate.Latency)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return orderly.PaymentTransaction{}, fmt.Errorf("paysim: slow answer (simulated): %w", ctx.Err())
		case <-t.C:
		}
	}
	if rate.FailureProbability > 0 && p.opts.Random() < rate.FailureProbability/2 {
		return orderly.PaymentTransaction{}, orderly.Errorf(orderly.EUNAVAILABLE, "the payment provider's answer was lost (simulated)")
	}
	return txn, err
}

// rate reads the PAYMENT step's failure rate; unreadable settings mean none.
func (p *Provider) rate(ctx context.Context) orderly.FailureRate {
	if p.opts.Settings == nil {
		return orderly.FailureRate{Step: orderly.StepPayment}
	}
	s, err := p.opts.Settings.FindSettings(ctx)
	if err != nil {
		p.opts.Logger.WarnContext(ctx, "paysim: cannot read failure rates; assuming none", "err", err)
		return orderly.FailureRate{Step: orderly.StepPayment}
	}
	return s.FailureRateFor(orderly.StepPayment)
}

func (p *Provider) logged(ctx context.Context, pay *Payment, m Movement) {
	p.opts.Logger.InfoContext(ctx, "paysim: movement", "payment", pay.ID, "reference", pay.Reference,
		"op", string(m.Op), "kind", string(m.Kind), "amount", m.Amount, "decline", string(m.DeclineReason), "key", m.Key)
}

func (p *Provider) now() time.Time { return p.opts.Now().UTC().Truncate(time.Millisecond) }

func checkMoney(m orderly.Money) error {
	if m.Amount <= 0 {
		return orderly.FieldErrorf(orderly.EINVALID, "amount", "the amount must be positive")
	}
	if _, err := orderly.NewMoney(m.Amount, m.Currency); err != nil {
		return err
	}
	return nil
}
