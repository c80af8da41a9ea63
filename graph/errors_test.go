package graph

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/orderly-shop/orderly"
)

// flakyProcessing fails StartOrder with err until it is cleared.
type flakyProcessing struct {
	orderly.OrderProcessing
	err error
}

func (p *flakyProcessing) StartOrder(ctx context.Context, o *orderly.Order) (string, error) {
	if p.err != nil {
		return "", p.err
	}
	return p.OrderProcessing.StartOrder(ctx, o)
}

// TestPlaceOrderRecoversFromUnavailableWorkflows: when the workflow cannot
// be started the client gets UNAVAILABLE; retrying with the same key starts
// the workflow of the same order.
func TestPlaceOrderRecoversFromUnavailableWorkflows(t *testing.T) {
	f := newFixture(t)
	flaky := &flakyProcessing{OrderProcessing: f.store, err: orderly.Errorf(orderly.EUNAVAILABLE, "the order service is unavailable; try again")}
	f.useProcessing(flaky)
	f.addToCart(f.alice, f.products[0], 1)
	var p placedOrder
	errs := f.mutate(f.aliceToken, placeOrderMutation, "placeOrder", placeInput("k", validAddress()), &p)
	if !slices.Equal(errs.codes(), []string{"UNAVAILABLE"}) || p.Order != nil {
		t.Fatalf("first attempt: %+v", errs)
	}
	if len(f.store.orders) != 1 {
		t.Fatalf("%d orders after the first attempt", len(f.store.orders))
	}
	flaky.err = nil
	if errs := f.mutate(f.aliceToken, placeOrderMutation, "placeOrder", placeInput("k", validAddress()), &p); len(errs) > 0 || p.Order == nil {
		t.Fatalf("retry: %+v", errs)
	}
	if len(f.store.orders) != 1 || !f.store.started[p.Order.ID] {
		t.Errorf("retry did not start the one order: %d orders", len(f.store.orders))
	}
}

// TestUnexpectedErrorsAreHidden: an error that is not an *orderly.Error
// reaches the client as a top-level "internal error" (even from a mutation)
// and the logs get the detail.
func TestUnexpectedErrorsAreHidden(t *testing.T) {
	f := newFixture(t)
	var logs bytes.Buffer
	f.resolver.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	f.useProcessing(&flakyProcessing{OrderProcessing: f.store, err: errors.New("dial tcp 10.0.0.7:7233: connection refused")})
	f.addToCart(f.alice, f.products[0], 1)
	w := f.raw(http.MethodPost, "/", "application/json",
		`{"query":"mutation { placeOrder(input: {idempotencyKey: \"k\", shippingAddress: {name: \"a\", line1: \"b\", city: \"c\", postalCode: \"d\", country: \"US\"}}) { errors { code } } }"}`,
		map[string]string{"Authorization": "Bearer " + f.aliceToken})
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, `"message":"internal error"`) || !strings.Contains(body, `"code":"INTERNAL"`) || strings.Contains(body, "10.0.0.7") {
		t.Errorf("response: %d %s", w.Code, body)
	}
	if !strings.Contains(logs.String(), "10.0.0.7") || !strings.Contains(logs.String(), "placeOrder") {
		t.Errorf("logs lack the detail: %s", logs.String())
	}
}

func TestUserErrors(t *testing.T) {
	for _, tc := range []struct {
		err        error
		wantCode   ErrorCode
		wantField  string
		unexpected bool
	}{
		{orderly.FieldErrorf(orderly.EINVALID, "quantity", "bad"), ErrorCodeInvalid, "input.quantity", false},
		{orderly.FieldErrorf(orderly.EINVALID, "input.name", "bad"), ErrorCodeInvalid, "input.name", false},
		{orderly.Errorf(orderly.ECONFLICT, "no"), ErrorCodeConflict, "", false},
		{wrap(orderly.Errorf(orderly.ENOTFOUND, "gone")), ErrorCodeNotFound, "", false},
		{orderly.Errorf(orderly.EINTERNAL, "bug"), "", "", true},
		{orderly.Errorf("WEIRD", "unknown code"), "", "", true},
		{errors.New("boom"), "", "", true},
	} {
		errs, err := userErrors(tc.err)
		if tc.unexpected {
			if err == nil || errs != nil {
				t.Errorf("%v: treated as expected", tc.err)
			}
			continue
		}
		if err != nil || len(errs) != 1 || errs[0].Code != tc.wantCode || (tc.wantField == "") != (errs[0].Field == nil) ||
			(errs[0].Field != nil && *errs[0].Field != tc.wantField) {
			t.Errorf("%v: %+v %v", tc.err, errs, err)
		}
	}
}

func wrap(err error) error { return errors.Join(errors.New("context"), err) }
