package workflows

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

type rewardsHarness struct {
	*harness
}

func newRewardsHarness(t *testing.T) rewardsHarness {
	h := newHarness(t)
	h.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: orderly.RewardsWorkflowIDFor("cus_1")})
	return rewardsHarness{h}
}

func (h rewardsHarness) add(orderID string, points int) {
	h.env.SignalWorkflow(SignalAddPoints, AddPointsSignal{OrderID: orderID, Points: points})
}

func (h rewardsHarness) closeRun() { h.env.SignalWorkflow(SignalCloseRewards, nil) }

func (h rewardsHarness) state() orderly.RewardsState {
	h.t.Helper()
	v, err := h.env.QueryWorkflow(QueryRewardsState)
	if err != nil {
		h.t.Fatalf("query: %v", err)
	}
	var s orderly.RewardsState
	if err := v.Get(&s); err != nil {
		h.t.Fatalf("decode: %v", err)
	}
	return s
}

func (h rewardsHarness) run(in RewardsInput) (RewardsResult, error) {
	h.t.Helper()
	h.env.ExecuteWorkflow(RewardsWorkflow, in)
	if !h.env.IsWorkflowCompleted() {
		h.t.Fatal("rewards workflow did not complete")
	}
	var res RewardsResult
	err := h.env.GetWorkflowError()
	if err == nil {
		_ = h.env.GetWorkflowResult(&res)
	}
	return res, err
}

func TestRewardsTiersCrossThresholds(t *testing.T) {
	h := newRewardsHarness(t)
	type step struct {
		orderID string
		points  int
		want    orderly.Tier
	}
	steps := []step{
		{"ord_1", 499, orderly.TierBasic},
		{"ord_2", 1, orderly.TierSilver},      // exactly 500
		{"ord_3", 999, orderly.TierSilver},    // 1499
		{"ord_4", 1, orderly.TierGold},        // exactly 1500
		{"ord_5", 4000, orderly.TierPlatinum}, // 5500
	}
	var seen []orderly.RewardsState
	for i, s := range steps {
		h.at(time.Duration(i+1)*time.Minute, func() { h.add(s.orderID, s.points) })
		h.at(time.Duration(i+1)*time.Minute+time.Second, func() { seen = append(seen, h.state()) })
	}
	h.at(10*time.Minute, h.closeRun)

	res, err := h.run(RewardsInput{CustomerID: "cus_1"})
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	points := 0
	for i, s := range steps {
		points += s.points
		if seen[i].Points != points || seen[i].Tier != s.want || !seen[i].Running {
			t.Errorf("after %s: state %+v, want %d points, %s", s.orderID, seen[i], points, s.want)
		}
	}
	if res.Points != 5500 || res.Tier != orderly.TierPlatinum {
		t.Errorf("result = %+v, want 5500 PLATINUM", res)
	}
	acct, _ := h.store.FindRewards(t.Context(), "cus_1")
	if acct.Points != 5500 || acct.Tier != orderly.TierPlatinum || acct.Version != 5 || len(acct.OrderIDs) != 5 {
		t.Errorf("persisted = %+v, want 5500 PLATINUM at version 5", acct)
	}
	for _, tier := range []orderly.Tier{orderly.TierSilver, orderly.TierGold, orderly.TierPlatinum} {
		if !h.store.hasNotification(TierNotificationIDFor("cus_1", tier)) {
			t.Errorf("no notification for %s", tier)
		}
	}
	if h.store.hasNotification(TierNotificationIDFor("cus_1", orderly.TierBasic)) {
		t.Error("notified a tier the customer started in")
	}
	if h.count("Notify") != 3 {
		t.Errorf("Notify ran %d times, want 3 (one per tier change)", h.count("Notify"))
	}
}

func TestRewardsCreditsAnOrderOnce(t *testing.T) {
	h := newRewardsHarness(t)
	h.at(time.Minute, func() {
		h.add("ord_1", 300)
		h.add("ord_1", 300) // a retried AwardPoints
	})
	h.at(2*time.Minute, func() { h.add("ord_1", 300) })
	h.at(3*time.Minute, h.closeRun)

	res, err := h.run(RewardsInput{CustomerID: "cus_1"})
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Points != 300 || h.count("SaveRewards") != 1 {
		t.Errorf("points %d after %d saves, want 300 after 1", res.Points, h.count("SaveRewards"))
	}
}

func TestRewardsLoadsThePersistedAccount(t *testing.T) {
	h := newRewardsHarness(t)
	h.store.rewards["cus_1"] = orderly.RewardsAccount{CustomerID: "cus_1", Points: 600, Tier: orderly.TierSilver, OrderIDs: []string{"ord_old"}, Version: 7}
	var before orderly.RewardsState
	h.at(time.Second, func() { before = h.state() })
	h.at(time.Minute, func() {
		h.add("ord_old", 600) // credited by an earlier run
		h.add("ord_new", 1000)
	})
	h.at(2*time.Minute, h.closeRun)

	res, err := h.run(RewardsInput{CustomerID: "cus_1"})
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if before.Points != 600 || before.Tier != orderly.TierSilver {
		t.Errorf("state at start = %+v, want the persisted 600 SILVER", before)
	}
	if res.Points != 1600 || res.Tier != orderly.TierGold {
		t.Errorf("result = %+v, want 1600 GOLD (ord_old not credited twice)", res)
	}
	if acct, _ := h.store.FindRewards(t.Context(), "cus_1"); acct.Version != 8 {
		t.Errorf("persisted version = %d, want 8", acct.Version)
	}
}

func TestRewardsContinuesAsNew(t *testing.T) {
	tests := []struct {
		name      string
		max       int
		suggested bool
		signals   int
	}{
		{"after MaxSignalsPerRun, draining queued signals", 3, false, 5},
		{"when Temporal suggests it", 100, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newRewardsHarness(t)
			h.env.SetContinueAsNewSuggested(tt.suggested)
			h.at(time.Minute, func() {
				for i := range tt.signals {
					h.add("ord_"+string(rune('a'+i)), 100)
				}
			})

			_, err := h.run(RewardsInput{CustomerID: "cus_1", MaxSignalsPerRun: tt.max})
			var can *workflow.ContinueAsNewError
			if !errors.As(err, &can) {
				t.Fatalf("workflow error = %v, want continue-as-new", err)
			}
			var next RewardsInput
			if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
				t.Fatalf("decode next input: %v", err)
			}
			if next.Account == nil || next.Account.Points != 100*tt.signals || len(next.Account.OrderIDs) != tt.signals || next.MaxSignalsPerRun != tt.max {
				t.Errorf("next input = %+v (account %+v), want every signal credited and carried", next, next.Account)
			}
			if acct, _ := h.store.FindRewards(t.Context(), "cus_1"); acct.Points != 100*tt.signals {
				t.Errorf("persisted %d points, want %d", acct.Points, 100*tt.signals)
			}
		})
	}
}

func TestRewardsContinuedRunDoesNotReload(t *testing.T) {
	h := newRewardsHarness(t)
	carried := &orderly.RewardsAccount{CustomerID: "cus_1", Points: 1400, Tier: orderly.TierSilver, Version: 3}
	h.at(time.Minute, func() { h.add("ord_x", 100) })
	h.at(2*time.Minute, h.closeRun)

	res, err := h.run(RewardsInput{CustomerID: "cus_1", Account: carried})
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if h.ran("LoadRewards") || res.Points != 1500 || res.Tier != orderly.TierGold {
		t.Errorf("loaded %v, result %+v; want the carried account used, 1500 GOLD", h.ran("LoadRewards"), res)
	}
}

func TestRewardsCloseCreditsWhatWasSentBefore(t *testing.T) {
	h := newRewardsHarness(t)
	// The run is busy saving ord_1 when the close and ord_2 arrive together.
	h.env.OnActivity(h.acts.SaveRewards, mock.Anything, mock.Anything).After(time.Minute).Return(h.acts.SaveRewards)
	h.at(time.Minute, func() { h.add("ord_1", 100) })
	h.at(90*time.Second, func() {
		h.closeRun()
		h.add("ord_2", 200)
	})

	res, err := h.run(RewardsInput{CustomerID: "cus_1"})
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Points != 300 {
		t.Errorf("points = %d, want 300: a signal sent with the close was lost", res.Points)
	}
	if acct, _ := h.store.FindRewards(t.Context(), "cus_1"); acct.Points != 300 {
		t.Errorf("persisted %d points, want 300", acct.Points)
	}
}
