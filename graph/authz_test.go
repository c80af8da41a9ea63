package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/orderly-shop/orderly"
)

// authzFixture is a fixture in which Alice (customer A) owns a cart, an order
// awaiting approval, an open rewards workflow and a notification; Bob
// (customer B) and the operator have rewards workflows of their own.
type authzFixture struct {
	*fixture
	order, notification string
}

func newAuthzFixture(t *testing.T) *authzFixture {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 1)
	order := f.placeOrder(f.aliceToken, "mine")
	if err := f.store.advance(order, orderly.StatusValidated, orderly.StatusInventoryReserved, orderly.StatusAwaitingApproval); err != nil {
		t.Fatal(err)
	}
	f.addToCart(f.alice, f.products[0], 2)
	for _, c := range []*orderly.Customer{f.alice, f.bob, f.admin} {
		f.store.rewardsOpen[c.ID] = true
	}
	n := order + ":placed"
	if err := f.store.Notify(context.Background(), orderly.Notification{ID: n, CustomerID: f.alice.ID, OrderID: order, Title: "Placed"}); err != nil {
		t.Fatal(err)
	}
	f.store.writes.Store(0)
	return &authzFixture{fixture: f, order: order, notification: n}
}

// aliceState is everything of Alice's that nobody else may change.
func (f *authzFixture) aliceState() string {
	s := f.store
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[f.order]
	return fmt.Sprintf("cart=%v order=%s/%d/%v/%v rewards=%v read=%v pending=%v",
		s.carts[f.alice.ID], o.Status, o.Version, o.ShippingAddress, o.FailureReason,
		s.rewardsOpen[f.alice.ID], s.notifications[f.notification].Read, s.pending[f.order])
}

// outcome classifies a response: a top-level error code, a payload error
// code, "null", "empty" (a connection without edges) or "ok".
func outcome(t testing.TB, r result, field string) string {
	t.Helper()
	if len(r.Errors) > 0 {
		return r.Errors[0].code()
	}
	var data map[string]json.RawMessage
	r.decode(t, &data)
	raw := data[field]
	if string(raw) == "null" {
		return "null"
	}
	var v struct {
		Errors []struct{ Code string } `json:"errors"`
		Edges  *[]json.RawMessage      `json:"edges"`
	}
	_ = json.Unmarshal(raw, &v)
	switch {
	case len(v.Errors) > 0:
		return v.Errors[0].Code
	case v.Edges != nil && len(*v.Edges) == 0:
		return "empty"
	}
	return "ok"
}

// TestAuthorizationMatrix runs every query and mutation as anonymous,
// customer A (Alice, the owner of the targets), customer B (Bob) and an
// operator, and checks the outcome, that B and anonymous callers never see
// anything of Alice's, and that they never change any of it.
func TestAuthorizationMatrix(t *testing.T) {
	type ops struct {
		name, field, query string
		vars               func(f *authzFixture) map[string]any
		// want is the outcome for anonymous, A, B and the operator.
		want [4]string
	}
	none := func(*authzFixture) map[string]any { return nil }
	orderInput := func(extra map[string]any) func(f *authzFixture) map[string]any {
		return func(f *authzFixture) map[string]any {
			in := map[string]any{"orderId": f.order}
			for k, v := range extra {
				in[k] = v
			}
			return map[string]any{"input": in}
		}
	}
	input := func(in map[string]any) func(f *authzFixture) map[string]any {
		return func(*authzFixture) map[string]any { return map[string]any{"input": in} }
	}
	product0 := func(qty int) func(f *authzFixture) map[string]any {
		return func(f *authzFixture) map[string]any {
			return map[string]any{"input": map[string]any{"productId": f.products[0].ID, "quantity": qty}}
		}
	}
	const U, F, N = "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"
	table := []ops{
		// Queries.
		{"products", "products", `{ products { edges { node { id } } } }`, none, [4]string{"ok", "ok", "ok", "ok"}},
		{"me", "me", `{ me { id email } }`, none, [4]string{"null", "ok", "ok", "ok"}},
		{"cart", "cart", `{ cart { itemCount lines { product { id } } } }`, none, [4]string{U, "ok", "ok", "ok"}},
		{"order", "order", `query($id: ID!) { order(id: $id) { id customer { email } } }`,
			func(f *authzFixture) map[string]any { return map[string]any{"id": f.order} }, [4]string{U, "ok", "null", "ok"}},
		{"node(order)", "node", `query($id: ID!) { node(id: $id) { id } }`,
			func(f *authzFixture) map[string]any { return map[string]any{"id": f.order} }, [4]string{"null", "ok", "null", "ok"}},
		{"node(customer)", "node", `query($id: ID!) { node(id: $id) { id ... on Customer { email } } }`,
			func(f *authzFixture) map[string]any { return map[string]any{"id": f.alice.ID} }, [4]string{"null", "ok", "null", "ok"}},
		{"orders", "orders", `{ orders { edges { node { id } } } }`, none, [4]string{U, "ok", "empty", "ok"}},
		{"orders of A", "orders", `query($c: ID) { orders(filter: {customerId: $c}) { edges { node { id } } } }`,
			func(f *authzFixture) map[string]any { return map[string]any{"c": f.alice.ID} }, [4]string{U, "ok", "empty", "ok"}},
		{"rewards", "rewards", `{ rewards { customerId points } }`, none, [4]string{U, "ok", "ok", "ok"}},
		{"rewards of A", "rewards", `query($c: ID) { rewards(customerId: $c) { customerId points } }`,
			func(f *authzFixture) map[string]any { return map[string]any{"c": f.alice.ID} }, [4]string{U, "ok", N, "ok"}},
		{"notifications", "notifications", `{ notifications { edges { node { id order { id } } } } }`, none, [4]string{U, "ok", "empty", "empty"}},
		{"settings", "settings", `{ settings { approvalMode } }`, none, [4]string{U, F, F, "ok"}},
		{"temporalUrl", "order", `query($id: ID!) { order(id: $id) { temporalUrl } }`,
			func(f *authzFixture) map[string]any { return map[string]any{"id": f.order} }, [4]string{U, F, "null", "ok"}},
		// Cart mutations act on the caller's own cart.
		{"addToCart", "addToCart", `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { itemCount } errors { code } } }`,
			product0(1), [4]string{U, "ok", "ok", "ok"}},
		{"updateCartLine", "updateCartLine", `mutation($input: UpdateCartLineInput!) { updateCartLine(input: $input) { cart { itemCount } errors { code } } }`,
			product0(5), [4]string{U, "ok", N, N}},
		{"removeCartLine", "removeCartLine", `mutation($input: RemoveCartLineInput!) { removeCartLine(input: $input) { cart { itemCount } errors { code } } }`,
			func(f *authzFixture) map[string]any {
				return map[string]any{"input": map[string]any{"productId": f.products[0].ID}}
			}, [4]string{U, "ok", N, N}},
		{"clearCart", "clearCart", `mutation { clearCart { cart { itemCount } errors { code } } }`, none, [4]string{U, "ok", "ok", "ok"}},
		{"placeOrder", "placeOrder", placeOrderMutation, input(map[string]any{"idempotencyKey": "k2", "shippingAddress": validAddress()}),
			[4]string{U, "ok", "INVALID", "INVALID"}},
		// Order mutations on Alice's order.
		{"cancelOrder", "cancelOrder", cancelMutation, orderInput(nil), [4]string{U, "ok", N, "ok"}},
		{"updateShippingAddress", "updateShippingAddress", addressMutation, orderInput(map[string]any{"shippingAddress": validAddress()}), [4]string{U, "ok", N, "ok"}},
		{"approveOrder", "approveOrder", approveMutation, orderInput(nil), [4]string{U, F, F, "ok"}},
		{"rejectOrder", "rejectOrder", rejectMutation, orderInput(map[string]any{"reason": "no"}), [4]string{U, F, F, "ok"}},
		{"simulateFailure", "simulateFailure", simulateMutation, orderInput(map[string]any{"step": "PAYMENT", "mode": "TRANSIENT"}), [4]string{U, F, F, "ok"}},
		// Money and returns on Alice's order (placed, not yet paid or delivered).
		{"refundOrder", "refundOrder", refundMutation, orderInput(map[string]any{"amount": map[string]any{"amount": 100, "currency": "USD"}}),
			[4]string{U, F, F, "OVER_REFUND"}},
		{"requestReturn", "requestReturn", requestReturnMutation, func(f *authzFixture) map[string]any {
			return map[string]any{"input": map[string]any{"orderId": f.order, "lines": []any{map[string]any{"productId": f.products[0].ID, "quantity": 1}}}}
		}, [4]string{U, "NOT_DELIVERED", N, "NOT_DELIVERED"}},
		{"approveReturn", "approveReturn", `mutation($input: ApproveReturnInput!) { approveReturn(input: $input) { errors { code } } }`,
			orderInput(map[string]any{"returnId": "ret_x"}), [4]string{U, F, F, N}},
		{"rejectReturn", "rejectReturn", `mutation($input: RejectReturnInput!) { rejectReturn(input: $input) { errors { code } } }`,
			orderInput(map[string]any{"returnId": "ret_x", "reason": "no"}), [4]string{U, F, F, N}},
		{"markReturnReceived", "markReturnReceived", `mutation($input: MarkReturnReceivedInput!) { markReturnReceived(input: $input) { errors { code } } }`,
			orderInput(map[string]any{"returnId": "ret_x"}), [4]string{U, F, F, N}},
		{"cancelReturn", "cancelReturn", `mutation($input: CancelReturnInput!) { cancelReturn(input: $input) { errors { code } } }`,
			orderInput(map[string]any{"returnId": "ret_x"}), [4]string{U, N, N, N}},
		{"canRefund", "order", `query($id: ID!) { order(id: $id) { canRefund } }`,
			func(f *authzFixture) map[string]any { return map[string]any{"id": f.order} }, [4]string{U, F, "null", "ok"}},
		// Operator settings.
		{"setFailureRates", "setFailureRates", `mutation { setFailureRates(input: {rates: [{step: PAYMENT, failureProbability: 0.5}]}) { errors { code } } }`,
			none, [4]string{U, F, F, "ok"}},
		{"updateApprovalSettings", "updateApprovalSettings", `mutation { updateApprovalSettings(input: {mode: NEVER}) { errors { code } } }`,
			none, [4]string{U, F, F, "ok"}},
		// Rewards and notifications.
		{"closeRewards own", "closeRewards", `mutation { closeRewards(input: {}) { rewards { customerId } errors { code } } }`, none, [4]string{U, "ok", "ok", "ok"}},
		{"closeRewards of A", "closeRewards", `mutation($c: ID) { closeRewards(input: {customerId: $c}) { rewards { customerId } errors { code } } }`,
			func(f *authzFixture) map[string]any { return map[string]any{"c": f.alice.ID} }, [4]string{U, "ok", N, "ok"}},
		{"markNotificationsRead", "markNotificationsRead", `mutation($ids: [ID!]!) { markNotificationsRead(input: {ids: $ids}) { ids errors { code } } }`,
			func(f *authzFixture) map[string]any { return map[string]any{"ids": []string{f.notification}} }, [4]string{U, "ok", "ok", "ok"}},
		{"logout", "logout", `mutation { logout { revoked errors { code } } }`, none, [4]string{U, "ok", "ok", "ok"}},
		{"login", "login", `mutation { login(input: {email: "alice@example.com", password: "wrong"}) { token errors { code } } }`, none,
			[4]string{U, U, U, U}},
	}
	callers := []string{"anonymous", "A", "B", "operator"}
	for _, op := range table {
		for i, caller := range callers {
			t.Run(op.name+"/"+caller, func(t *testing.T) {
				f := newAuthzFixture(t)
				token := []string{"", f.aliceToken, f.bobToken, f.adminToken}[i]
				before := f.aliceState()
				vars := op.vars(f)
				sent, _ := json.Marshal(vars)
				r := f.do(token, op.query, vars)
				if got := outcome(t, r, op.field); got != op.want[i] {
					t.Fatalf("outcome %s, want %s (errors %+v, data %s)", got, op.want[i], r.Errors, r.Data)
				}
				if caller == "anonymous" || caller == "B" {
					body := string(r.Data)
					for _, secret := range []string{f.order, f.alice.ID, f.alice.Email, f.notification} {
						// An echo of what the caller sent reveals nothing.
						if strings.Contains(body, secret) && !strings.Contains(string(sent), secret) {
							t.Errorf("%s saw %q: %s", caller, secret, body)
						}
					}
					if after := f.aliceState(); after != before {
						t.Errorf("%s changed Alice's state:\n before %s\n after  %s", caller, before, after)
					}
				}
				if caller == "anonymous" && op.name != "login" && f.store.writes.Load() != 0 {
					t.Errorf("anonymous caller wrote %d times", f.store.writes.Load())
				}
			})
		}
	}
}
