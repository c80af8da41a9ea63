package e2e

import (
	"context"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/devstack"
)

// rewardsView is what the tests read of the rewards query.
type rewardsView struct {
	CustomerID      string
	Points          int
	Tier            string
	WorkflowID      string
	WorkflowRunning *bool
}

// TestLifecycleRewards proves the customer's rewards workflow end to end:
// completed orders credit one point per dollar; crossing 500 points moves the
// customer to SILVER with a notification; the seed's
// `temporal workflow signal -w rewards_<customerId> --name close_workflow`,
// sent with the real temporal CLI, closes the workflow (describe says
// COMPLETED); the next order starts a new run that carries the points on and
// crosses into GOLD.
func TestLifecycleRewards(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalNever, time.Hour)
	c := s.register(t, "rewards")
	customerID := me(t, c)
	workflowID := orderly.RewardsWorkflowIDFor(customerID)
	tc := s.temporal(t)

	headphones := productBySKU(t, c, "AUD-001")
	points := 0
	order := func(t *testing.T, productID string, quantity int) fullOrder {
		t.Helper()
		placed := buy(t, c, productID, quantity)
		o := waitFinal(t, c, placed.ID, time.Minute, orderly.StatusCompleted)
		points += o.Total.Amount / 100
		return o
	}

	// Below the SILVER threshold, then across it.
	order(t, headphones.ID, 1)
	r := waitRewards(t, c, "the first order's points", func(r rewardsView) bool { return r.Points == points })
	if r.Tier != string(orderly.TierBasic) || points >= 500 {
		t.Fatalf("after %d points the tier is %s, want BASIC (the test needs the first order below 500)", points, r.Tier)
	}
	order(t, headphones.ID, 2)
	r = waitRewards(t, c, "SILVER", func(r rewardsView) bool { return r.Points == points })
	if r.Tier != string(orderly.TierSilver) || r.WorkflowID != workflowID || r.WorkflowRunning == nil || !*r.WorkflowRunning {
		t.Fatalf("rewards %+v, want %d points, SILVER, workflow %s running", r, points, workflowID)
	}
	waitNotification(t, c, customerID+":tier:SILVER", "Welcome to SILVER")

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	desc, err := tc.DescribeWorkflowExecution(ctx, workflowID, "")
	if err != nil {
		t.Fatalf("describe %s: %v", workflowID, err)
	}
	firstRun := desc.GetWorkflowExecutionInfo().GetExecution().GetRunId()

	// The seed's command, verbatim but for the address and namespace.
	temporalCLI(t, s, "workflow", "signal", "-w", workflowID, "--name", "close_workflow")
	deadline := time.Now().Add(30 * time.Second)
	for {
		out := temporalCLI(t, s, "workflow", "describe", "-w", workflowID, "-o", "json")
		var d struct {
			WorkflowExecutionInfo struct {
				Status    string
				Execution struct {
					RunID string `json:"runId"`
				}
			}
		}
		if err := json.Unmarshal(out, &d); err != nil {
			t.Fatalf("temporal workflow describe -o json: %v\n%s", err, out)
		}
		if d.WorkflowExecutionInfo.Status == "WORKFLOW_EXECUTION_STATUS_COMPLETED" {
			if d.WorkflowExecutionInfo.Execution.RunID != firstRun {
				t.Fatalf("describe shows run %s, want the closed run %s", d.WorkflowExecutionInfo.Execution.RunID, firstRun)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("rewards workflow not completed 30s after close_workflow:\n%s", out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var result struct {
		Points int
		Tier   string
	}
	if err := tc.GetWorkflow(ctx, workflowID, firstRun).Get(ctx, &result); err != nil || result.Points != points || result.Tier != string(orderly.TierSilver) {
		t.Errorf("closed run's result %+v (%v), want %d points SILVER", result, err, points)
	}
	r = waitRewards(t, c, "the closed workflow", func(r rewardsView) bool { return r.WorkflowRunning != nil && !*r.WorkflowRunning })
	if r.Points != points || r.Tier != string(orderly.TierSilver) {
		t.Errorf("with the workflow closed the rewards show %+v, want the persisted %d points SILVER", r, points)
	}

	// A later order starts a new run that carries the points on.
	desk := productBySKU(t, c, "OFF-001")
	third := order(t, desk.ID, 2)
	r = waitRewards(t, c, "the new run's points", func(r rewardsView) bool {
		return r.Points == points && r.WorkflowRunning != nil && *r.WorkflowRunning
	})
	if r.Tier != string(orderly.TierGold) {
		t.Errorf("rewards %+v, want GOLD at %d points", r, points)
	}
	waitNotification(t, c, customerID+":tier:GOLD", "Welcome to GOLD")
	desc, err = tc.DescribeWorkflowExecution(ctx, workflowID, "")
	if err != nil {
		t.Fatalf("describe %s: %v", workflowID, err)
	}
	if run := desc.GetWorkflowExecutionInfo().GetExecution().GetRunId(); run == firstRun ||
		desc.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Errorf("after the close a new order should start a new running run; got run %s (first %s) status %s",
			run, firstRun, desc.GetWorkflowExecutionInfo().GetStatus())
	}
	acct := db.rewards(t, customerID)
	if acct.Points != points || acct.Tier != orderly.TierGold || !slices.Contains(acct.OrderIDs, third.ID) || len(acct.OrderIDs) != 3 {
		t.Errorf("persisted account %+v, want %d points GOLD crediting the three orders", acct, points)
	}
}

// waitRewards polls the caller's rewards until cond holds.
func waitRewards(t testing.TB, c *client, what string, cond func(rewardsView) bool) rewardsView {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var out struct{ Rewards rewardsView }
		c.mustDo(t, `{ rewards { customerId points tier workflowId workflowRunning } }`, nil, &out)
		if cond(out.Rewards) {
			return out.Rewards
		}
		if time.Now().After(deadline) {
			t.Fatalf("rewards never showed %s within 30s: %+v", what, out.Rewards)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitNotification polls the caller's notifications until one with the ID
// exists, and checks its title.
func waitNotification(t testing.TB, c *client, id, title string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var out struct {
			Notifications struct {
				Edges []struct {
					Node struct{ ID, Title, Body string }
				}
			}
		}
		c.mustDo(t, `{ notifications(first: 100) { edges { node { id title body } } } }`, nil, &out)
		n := 0
		for _, e := range out.Notifications.Edges {
			if e.Node.ID == id {
				n++
				if e.Node.Title != title {
					t.Errorf("notification %s is titled %q, want %q", id, e.Node.Title, title)
				}
			}
		}
		if n > 1 {
			t.Errorf("notification %s is there %d times", id, n)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no notification %s within 30s: %+v", id, out.Notifications.Edges)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// temporalCLI runs the real temporal CLI against the shared server in the
// stack's namespace and returns its standard output.
func temporalCLI(t testing.TB, s *stack, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	args = append(args, "--address", devstack.TestTemporal(t), "--namespace", s.namespace)
	cmd := exec.CommandContext(ctx, devstack.TestTools(t).Temporal, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("temporal %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return out
}
