package graph

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

func TestRewardsQuery(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.store.SaveRewards(ctx, &orderly.RewardsAccount{CustomerID: f.alice.ID, Points: 1000, Tier: orderly.TierSilver, Version: 3, UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	f.store.rewardsOpen[f.alice.ID] = true
	const q = `query($id: ID) { rewards(customerId: $id) { customerId points tier nextTier { tier points } pointsToNextTier progress
	  tiers { tier points } workflowId workflowRunning version updatedAt } }`
	type rewards struct {
		Rewards *struct {
			CustomerID       string
			Points           int
			Tier             string
			NextTier         *struct{ Tier string }
			PointsToNextTier int
			Progress         float64
			Tiers            []struct{ Tier string }
			WorkflowID       string
			WorkflowRunning  *bool
			Version          int
			UpdatedAt        *string
		}
	}
	var got rewards
	f.ok(f.aliceToken, q, nil, &got)
	r := got.Rewards
	if r.CustomerID != f.alice.ID || r.Points != 1000 || r.Tier != "SILVER" || r.NextTier.Tier != "GOLD" || r.PointsToNextTier != 500 ||
		math.Abs(r.Progress-0.5) > 1e-9 || len(r.Tiers) != 4 || r.WorkflowID != "rewards_"+f.alice.ID || !*r.WorkflowRunning || r.Version != 3 || r.UpdatedAt == nil {
		t.Fatalf("alice's rewards: %+v", r)
	}
	f.ok(f.bobToken, q, nil, &got)
	if r := got.Rewards; r.Points != 0 || r.Tier != "BASIC" || r.UpdatedAt != nil || *r.WorkflowRunning {
		t.Errorf("bob's empty rewards: %+v", r)
	}
	f.ok(f.adminToken, q, map[string]any{"id": f.alice.ID}, &got)
	if got.Rewards.Points != 1000 {
		t.Errorf("operator reading alice's: %+v", got.Rewards)
	}
	for _, tc := range []struct{ token, id string }{{f.bobToken, f.alice.ID}, {f.adminToken, "cus_nobody"}} {
		if r := f.do(tc.token, q, map[string]any{"id": tc.id}); !slices.Equal(r.codes(), []string{"NOT_FOUND"}) {
			t.Errorf("rewards of %s: %+v", tc.id, r.Errors)
		}
	}
}

func TestTierProgress(t *testing.T) {
	for _, tc := range []struct {
		points int
		want   float64
	}{{0, 0}, {250, 0.5}, {500, 0}, {1500, 0}, {3250, 0.5}, {5000, 1}, {99999, 1}} {
		a := &orderly.RewardsAccount{Points: tc.points, Tier: orderly.TierFor(tc.points)}
		if got := tierProgress(a); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%d points: %v, want %v", tc.points, got, tc.want)
		}
	}
}

func TestCloseRewards(t *testing.T) {
	f := newFixture(t)
	const m = `mutation($input: CloseRewardsInput!) { closeRewards(input: $input) { rewards { customerId workflowRunning } errors { code field } } }`
	f.store.rewardsOpen[f.alice.ID] = true
	f.store.rewardsOpen[f.bob.ID] = true
	var p struct {
		Rewards *struct {
			CustomerID      string
			WorkflowRunning bool
		}
	}
	if errs := f.mutate(f.aliceToken, m, "closeRewards", map[string]any{"input": map[string]any{}}, &p); len(errs) > 0 || p.Rewards.WorkflowRunning {
		t.Fatalf("close own: %+v %+v", errs, p)
	}
	if errs := f.mutate(f.aliceToken, m, "closeRewards", map[string]any{"input": map[string]any{}}, &p); !slices.Equal(errs.codes(), []string{"CONFLICT"}) {
		t.Errorf("close twice: %+v", errs)
	}
	if errs := f.mutate(f.aliceToken, m, "closeRewards", map[string]any{"input": map[string]any{"customerId": f.bob.ID}}, &p); !slices.Equal(errs.codes(), []string{"NOT_FOUND"}) || !f.store.rewardsOpen[f.bob.ID] {
		t.Errorf("alice closing bob's: %+v", errs)
	}
	if errs := f.mutate(f.adminToken, m, "closeRewards", map[string]any{"input": map[string]any{"customerId": f.bob.ID}}, &p); len(errs) > 0 || p.Rewards.CustomerID != f.bob.ID || f.store.rewardsOpen[f.bob.ID] {
		t.Errorf("operator closing bob's: %+v %+v", errs, p)
	}
}

func TestNotifications(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.addToCart(f.alice, f.products[0], 1)
	orderID := f.placeOrder(f.aliceToken, "k")
	for i := range 3 {
		n := orderly.Notification{ID: fmt.Sprintf("%s:m%d", orderID, i), CustomerID: f.alice.ID, OrderID: orderID, Title: fmt.Sprint("T", i), Body: "B"}
		if err := f.store.Notify(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.Notify(ctx, orderly.Notification{ID: "bob:tier", CustomerID: f.bob.ID, Title: "Gold!"}); err != nil {
		t.Fatal(err)
	}
	const q = `query($first: Int, $after: String) { notifications(first: $first, after: $after) {
	  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id title read order { id } } } } }`
	type list struct {
		Notifications struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct {
				Node struct {
					ID, Title string
					Read      bool
					Order     *struct{ ID string }
				}
			}
		}
	}
	var got list
	f.ok(f.aliceToken, q, map[string]any{"first": 2}, &got)
	n := got.Notifications
	if n.TotalCount != 3 || len(n.Edges) != 2 || !n.PageInfo.HasNextPage || n.Edges[0].Node.Title != "T2" || n.Edges[0].Node.Order.ID != orderID {
		t.Fatalf("alice's notifications: %+v", n)
	}
	f.ok(f.bobToken, q, nil, &got)
	if n := got.Notifications; n.TotalCount != 1 || n.Edges[0].Node.Order != nil {
		t.Fatalf("bob's notifications: %+v", n)
	}

	const m = `mutation($ids: [ID!]!) { markNotificationsRead(input: {ids: $ids}) { ids errors { code field } } }`
	// Bob cannot mark Alice's notification read; his own works.
	if errs := f.mutate(f.bobToken, m, "markNotificationsRead", map[string]any{"ids": []string{orderID + ":m0", "bob:tier"}}, nil); len(errs) > 0 {
		t.Fatalf("mark: %+v", errs)
	}
	if f.store.notifications[orderID+":m0"].Read || !f.store.notifications["bob:tier"].Read {
		t.Error("read flags wrong after bob's request")
	}
	for _, ids := range [][]string{{}, make([]string, 101)} {
		for i := range ids {
			ids[i] = "x"
		}
		if errs := f.mutate(f.aliceToken, m, "markNotificationsRead", map[string]any{"ids": ids}, nil); !slices.Equal(errs.codes(), []string{"INVALID"}) {
			t.Errorf("%d ids: %+v", len(ids), errs)
		}
	}
}

func TestSettings(t *testing.T) {
	f := newFixture(t)
	const q = `{ settings { approvalMode approvalThreshold { amount currency formatted } approvalTimeoutSeconds
	  failureRates { step failureProbability latencyProbability latencyMs } updatedAt } }`
	type settings struct {
		ApprovalMode           string
		ApprovalThreshold      struct{ Amount int }
		ApprovalTimeoutSeconds int
		FailureRates           []struct {
			Step                                   string
			FailureProbability, LatencyProbability float64
			LatencyMs                              int
		}
		UpdatedAt *string
	}
	var got struct{ Settings settings }
	f.ok(f.adminToken, q, nil, &got)
	if s := got.Settings; s.ApprovalMode != "ABOVE_THRESHOLD" || s.ApprovalThreshold.Amount != 100000 || s.ApprovalTimeoutSeconds != 86400 || len(s.FailureRates) != 4 || s.UpdatedAt != nil {
		t.Fatalf("defaults: %+v", s)
	}

	const setRates = `mutation($input: SetFailureRatesInput!) { setFailureRates(input: $input) {
	  settings { failureRates { step failureProbability latencyProbability latencyMs } } errors { code field message } } }`
	var p struct{ Settings *settings }
	in := func(rates ...map[string]any) map[string]any {
		return map[string]any{"input": map[string]any{"rates": rates}}
	}
	if errs := f.mutate(f.adminToken, setRates, "setFailureRates", in(map[string]any{"step": "PAYMENT", "failureProbability": 0.25, "latencyProbability": 0.5, "latencyMs": 1500}), &p); len(errs) > 0 {
		t.Fatalf("setFailureRates: %+v", errs)
	}
	if r := p.Settings.FailureRates[2]; r.Step != "PAYMENT" || r.FailureProbability != 0.25 || r.LatencyMs != 1500 {
		t.Errorf("payment rate: %+v", p.Settings.FailureRates)
	}
	if errs := f.mutate(f.adminToken, setRates, "setFailureRates", in(map[string]any{"step": "SHIPPING", "failureProbability": 0.1}), &p); len(errs) > 0 ||
		p.Settings.FailureRates[2].FailureProbability != 0.25 || p.Settings.FailureRates[3].FailureProbability != 0.1 {
		t.Errorf("rates are not merged: %+v %+v", errs, p.Settings)
	}
	writes := f.store.writes.Load()
	for _, tc := range []struct {
		name  string
		rates []map[string]any
		field string
	}{
		{"probability above 1", []map[string]any{{"step": "PAYMENT", "failureProbability": 1.5}}, "input.rates.0.failureProbability"},
		{"negative latency", []map[string]any{{"step": "PAYMENT", "failureProbability": 0, "latencyMs": -1}}, "input.rates.0.latencyMs"},
		{"latency too long", []map[string]any{{"step": "PAYMENT", "failureProbability": 0, "latencyMs": 60001}}, "input.rates.0.latencyMs"},
		{"step twice", []map[string]any{{"step": "PAYMENT", "failureProbability": 0}, {"step": "PAYMENT", "failureProbability": 0}}, "input.rates"},
	} {
		errs := f.mutate(f.adminToken, setRates, "setFailureRates", in(tc.rates...), &p)
		if !slices.Equal(errs.codes(), []string{"INVALID"}) || *errs[0].Field != tc.field {
			t.Errorf("%s: %+v", tc.name, errs)
		}
	}
	if got := f.store.writes.Load(); got != writes {
		t.Errorf("rejected settings wrote %d times", got-writes)
	}

	const approval = `mutation($input: UpdateApprovalSettingsInput!) { updateApprovalSettings(input: $input) {
	  settings { approvalMode approvalThreshold { amount currency } approvalTimeoutSeconds } errors { code field } } }`
	if errs := f.mutate(f.adminToken, approval, "updateApprovalSettings", map[string]any{"input": map[string]any{
		"mode": "ALWAYS", "threshold": map[string]any{"amount": 5000, "currency": "USD"}, "timeoutSeconds": 60,
	}}, &p); len(errs) > 0 || p.Settings.ApprovalMode != "ALWAYS" || p.Settings.ApprovalThreshold.Amount != 5000 || p.Settings.ApprovalTimeoutSeconds != 60 {
		t.Fatalf("approval settings: %+v %+v", errs, p.Settings)
	}
	for _, in := range []map[string]any{
		{"timeoutSeconds": 0}, {"threshold": map[string]any{"amount": -1, "currency": "USD"}}, {"threshold": map[string]any{"amount": 1, "currency": "dollars"}},
	} {
		if errs := f.mutate(f.adminToken, approval, "updateApprovalSettings", map[string]any{"input": in}, &p); !slices.Equal(errs.codes(), []string{"INVALID"}) {
			t.Errorf("%v: %+v", in, errs)
		}
	}
	f.ok(f.adminToken, q, nil, &got)
	if got.Settings.ApprovalMode != "ALWAYS" || got.Settings.UpdatedAt == nil || got.Settings.FailureRates[3].FailureProbability != 0.1 {
		t.Errorf("stored settings: %+v", got.Settings)
	}
}
