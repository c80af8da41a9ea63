package paysim

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// clock is a settable time for the provider.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestProvider(t *testing.T) (*Provider, *MemoryStore, *clock) {
	t.Helper()
	store := NewMemoryStore()
	c := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	return New(store, Options{AuthorizationTTL: time.Hour, Now: c.now}), store, c
}

func card(t *testing.T, number string) orderly.PaymentMethod {
	t.Helper()
	m, err := orderly.NewCardPaymentMethod("card", number)
	if err != nil {
		t.Fatalf("card %s: %v", number, err)
	}
	return m
}

func authorize(t *testing.T, p *Provider, key, number string, cents int64) orderly.PaymentTransaction {
	t.Helper()
	txn, err := p.Authorize(t.Context(), orderly.AuthorizeRequest{IdempotencyKey: key, Reference: "ord_1", Amount: orderly.USD(cents), Method: card(t, number)})
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	return txn
}

func TestTestCards(t *testing.T) {
	for _, c := range TestCards() {
		t.Run(c.Number, func(t *testing.T) {
			p, store, _ := newTestProvider(t)
			txn, err := p.Authorize(t.Context(), orderly.AuthorizeRequest{IdempotencyKey: "auth:1", Reference: "ord_1",
				Amount: orderly.USD(5000), Method: card(t, c.Number)})
			reason, declined := orderly.DeclineReasonOf(err)
			switch {
			case c.Decline != "":
				if !declined || reason != c.Decline || orderly.ErrorCode(err) != orderly.EDECLINED {
					t.Fatalf("authorize = %v, want declined %s", err, c.Decline)
				}
			case err != nil:
				t.Fatalf("authorize = %v, want approved", err)
			default:
				if txn.Kind != orderly.PaymentAuthorization || txn.Amount != orderly.USD(5000) || txn.ExpiresAt.IsZero() || txn.PaymentID != PaymentIDFor("auth:1") {
					t.Errorf("txn = %+v", txn)
				}
				_, err := p.Authorize(t.Context(), orderly.AuthorizeRequest{IdempotencyKey: "auth:2", PaymentID: txn.PaymentID,
					Amount: orderly.USD(5000), Method: card(t, c.Number)})
				if r, _ := orderly.DeclineReasonOf(err); r != c.ReauthorizationDecline {
					t.Errorf("re-authorization = %v, want decline %q", err, c.ReauthorizationDecline)
				}
			}
			// Approved or not, the provider recorded the answer once.
			if ps := store.Payments(); len(ps) != 1 || len(ps[0].Movements) < 1 {
				t.Errorf("payments = %v", ps)
			}
		})
	}
}

func TestCapturesVoidsAndRefundsFollowTheRules(t *testing.T) {
	p, store, clk := newTestProvider(t)
	ctx := t.Context()
	a := authorize(t, p, "auth:1", "4242424242424242", 5000)
	id := a.PaymentID
	capture := func(key string, cents int64) error {
		_, err := p.Capture(ctx, orderly.CaptureRequest{IdempotencyKey: key, PaymentID: id, Amount: orderly.USD(cents)})
		return err
	}
	refund := func(key string, cents int64) error {
		_, err := p.Refund(ctx, orderly.RefundRequest{IdempotencyKey: key, PaymentID: id, Amount: orderly.USD(cents)})
		return err
	}
	if err := refund("refund:0", 1); declineOf(err) != orderly.DeclineAmountNotAvailable {
		t.Errorf("refund before capture = %v, want AMOUNT_NOT_AVAILABLE", err)
	}
	if err := capture("capture:1", 2000); err != nil {
		t.Fatalf("first partial capture: %v", err)
	}
	if err := capture("capture:2", 3001); declineOf(err) != orderly.DeclineAmountNotAvailable {
		t.Errorf("capture above the hold = %v, want AMOUNT_NOT_AVAILABLE", err)
	}
	if err := capture("capture:3", 2500); err != nil {
		t.Fatalf("second partial capture: %v", err)
	}
	if err := refund("refund:1", 4000); err != nil {
		t.Fatalf("refund: %v", err)
	}
	if err := refund("refund:2", 501); declineOf(err) != orderly.DeclineAmountNotAvailable {
		t.Errorf("refund above what is left = %v, want AMOUNT_NOT_AVAILABLE", err)
	}
	if err := refund("refund:3", 500); err != nil {
		t.Fatalf("refund of the rest: %v", err)
	}
	v, err := p.Void(ctx, orderly.VoidRequest{IdempotencyKey: "void:1", PaymentID: id})
	if err != nil || v.Amount != orderly.USD(500) {
		t.Fatalf("void = %+v, %v; want the 500 still held released", v, err)
	}
	if err := capture("capture:4", 100); orderly.ErrorCode(err) != orderly.ECONFLICT {
		t.Errorf("capture after a void = %v, want ECONFLICT", err)
	}
	pay, _ := store.FindPayment(ctx, id)
	if pay.Held != 0 || pay.Captured != 4500 || pay.Refunded != 4500 || !pay.Closed {
		t.Errorf("payment = %s", pay)
	}

	// A hold lapses: a capture after it is declined, a re-authorization renews it.
	b := authorize(t, p, "auth:b1", "4242424242424242", 1000)
	clk.advance(time.Hour + time.Second)
	_, err = p.Capture(ctx, orderly.CaptureRequest{IdempotencyKey: "capture:b1", PaymentID: b.PaymentID, Amount: orderly.USD(1000)})
	if declineOf(err) != orderly.DeclineAuthorizationExpired {
		t.Errorf("capture after the hold lapsed = %v, want AUTHORIZATION_EXPIRED", err)
	}
	re, err := p.Authorize(ctx, orderly.AuthorizeRequest{IdempotencyKey: "auth:b2", PaymentID: b.PaymentID, Amount: orderly.USD(1000)})
	if err != nil || !re.ExpiresAt.Equal(clk.now().Add(time.Hour)) || re.PaymentID != b.PaymentID {
		t.Fatalf("re-authorization = %+v, %v", re, err)
	}
	if _, err := p.Capture(ctx, orderly.CaptureRequest{IdempotencyKey: "capture:b2", PaymentID: b.PaymentID, Amount: orderly.USD(1000)}); err != nil {
		t.Errorf("capture after the re-authorization = %v", err)
	}
}

func declineOf(err error) orderly.DeclineReason {
	r, _ := orderly.DeclineReasonOf(err)
	return r
}

func TestEveryCallIsIdempotentByKey(t *testing.T) {
	p, store, clk := newTestProvider(t)
	ctx := t.Context()
	a1 := authorize(t, p, "auth:1", "4242424242424242", 5000)
	clk.advance(time.Minute)
	if a2 := authorize(t, p, "auth:1", "4242424242424242", 5000); a2 != a1 {
		t.Errorf("repeated authorization = %+v, want the first %+v", a2, a1)
	}
	req := orderly.CaptureRequest{IdempotencyKey: "capture:1", PaymentID: a1.PaymentID, Amount: orderly.USD(3000)}
	c1, err := p.Capture(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := p.Capture(ctx, req)
	if err != nil || c2 != c1 {
		t.Errorf("repeated capture = %+v, %v; want the first %+v", c2, err, c1)
	}
	req.Amount = orderly.USD(1000)
	if _, err := p.Capture(ctx, req); orderly.ErrorCode(err) != orderly.ECONFLICT {
		t.Errorf("a key reused for another amount = %v, want ECONFLICT", err)
	}
	// A declined call is declined again, with the same transaction.
	d1, err1 := p.Authorize(ctx, orderly.AuthorizeRequest{IdempotencyKey: "auth:x", Amount: orderly.USD(10), Method: card(t, "4000000000009995")})
	d2, err2 := p.Authorize(ctx, orderly.AuthorizeRequest{IdempotencyKey: "auth:x", Amount: orderly.USD(10), Method: card(t, "4000000000009995")})
	if declineOf(err1) != orderly.DeclineInsufficientFunds || err1.Error() != err2.Error() || d1 != d2 {
		t.Errorf("repeated decline = %v / %v", err1, err2)
	}
	pay, _ := store.FindPayment(ctx, a1.PaymentID)
	if len(pay.Movements) != 2 || pay.Captured != 3000 || pay.Held != 2000 {
		t.Errorf("payment = %s, want one authorization and one capture", pay)
	}
}

func TestConcurrentCapturesNeverExceedTheHold(t *testing.T) {
	p, store, _ := newTestProvider(t)
	a := authorize(t, p, "auth:1", "4242424242424242", 1000)
	var wg sync.WaitGroup
	results := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Ten distinct keys, each sent twice: at most ten captures of 100.
			_, err := p.Capture(context.Background(), orderly.CaptureRequest{
				IdempotencyKey: fmt.Sprintf("capture:%d", i%10), PaymentID: a.PaymentID, Amount: orderly.USD(150),
			})
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	captured := 0
	for err := range results {
		if err == nil {
			captured++
		} else if declineOf(err) != orderly.DeclineAmountNotAvailable {
			t.Errorf("capture = %v", err)
		}
	}
	pay, _ := store.FindPayment(context.Background(), a.PaymentID)
	if pay.Captured > 1000 || pay.Captured != 150*int64(countKind(pay, orderly.PaymentCapture)) || pay.Captured != 900 {
		t.Errorf("payment = %s, want six captures of 150 and no more (%d calls answered yes)", pay, captured)
	}
}

func countKind(p *Payment, k orderly.PaymentEntryKind) int {
	n := 0
	for _, m := range p.Movements {
		if m.Kind == k {
			n++
		}
	}
	return n
}

// fixedRates is a SettingsService with one PAYMENT rate.
type fixedRates struct{ rate orderly.FailureRate }

func (f fixedRates) FindSettings(context.Context) (*orderly.Settings, error) {
	s := orderly.DefaultSettings()
	s.FailureRates = []orderly.FailureRate{f.rate}
	return &s, nil
}

func (fixedRates) SaveSettings(context.Context, *orderly.Settings) error { return nil }

func TestSimulatedFailuresStrikeBeforeOrAfterTheMoneyMoves(t *testing.T) {
	draws := func(values ...float64) func() float64 {
		return func() float64 {
			v := values[0]
			values = values[1:]
			return v
		}
	}
	rate := orderly.FailureRate{Step: orderly.StepPayment, FailureProbability: 0.5}
	tests := []struct {
		name     string
		draws    []float64
		recorded bool
		fails    bool
	}{
		// FailureProbability 0.5: below 0.25 before, below 0.25 after.
		{"before: nothing moves", []float64{0.1}, false, true},
		{"after: the money moved, the answer is lost", []float64{0.9, 0.1}, true, true},
		{"neither", []float64{0.9, 0.9}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := NewMemoryStore()
			p := New(store, Options{Settings: fixedRates{rate}, Random: draws(tt.draws...)})
			_, err := p.Authorize(t.Context(), orderly.AuthorizeRequest{IdempotencyKey: "auth:1", Amount: orderly.USD(100)})
			if (err != nil) != tt.fails || tt.fails && orderly.ErrorCode(err) != orderly.EUNAVAILABLE {
				t.Errorf("err = %v, want a failure: %v (retryable)", err, tt.fails)
			}
			if got := len(store.Payments()) == 1; got != tt.recorded {
				t.Errorf("recorded = %v, want %v", got, tt.recorded)
			}
		})
	}

	t.Run("a slow answer after the money moved", func(t *testing.T) {
		store := NewMemoryStore()
		slow := orderly.FailureRate{Step: orderly.StepPayment, LatencyProbability: 1, Latency: time.Minute}
		p := New(store, Options{Settings: fixedRates{slow}})
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		_, err := p.Authorize(ctx, orderly.AuthorizeRequest{IdempotencyKey: "auth:1", Amount: orderly.USD(100)})
		if err == nil || len(store.Payments()) != 1 {
			t.Errorf("err = %v with %d payments; want a timeout after the hold was recorded", err, len(store.Payments()))
		}
	})
}

func TestRequestsAreChecked(t *testing.T) {
	p, _, _ := newTestProvider(t)
	ctx := t.Context()
	if _, err := p.Authorize(ctx, orderly.AuthorizeRequest{IdempotencyKey: "k", Amount: orderly.USD(0)}); orderly.ErrorCode(err) != orderly.EINVALID {
		t.Errorf("zero amount = %v", err)
	}
	if _, err := p.Authorize(ctx, orderly.AuthorizeRequest{Amount: orderly.USD(10)}); orderly.ErrorCode(err) != orderly.EINVALID {
		t.Errorf("no key = %v", err)
	}
	a := authorize(t, p, "auth:1", "4242424242424242", 1000)
	if _, err := p.Capture(ctx, orderly.CaptureRequest{IdempotencyKey: "c", PaymentID: a.PaymentID, Amount: orderly.Money{Amount: 10, Currency: "EUR"}}); orderly.ErrorCode(err) != orderly.EINVALID {
		t.Errorf("another currency = %v", err)
	}
	if _, err := p.Capture(ctx, orderly.CaptureRequest{IdempotencyKey: "c", PaymentID: "pi_nope", Amount: orderly.USD(10)}); orderly.ErrorCode(err) != orderly.ENOTFOUND {
		t.Errorf("unknown payment = %v", err)
	}
}
