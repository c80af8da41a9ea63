package workflows

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/mocks"
	"go.temporal.io/sdk/temporal"

	"github.com/orderly-shop/orderly"
)

func TestClientStartOrder(t *testing.T) {
	order := &orderly.Order{ID: "ord_1", CustomerID: "cus_1", Total: orderly.USD(1000)}
	isOrderStart := mock.MatchedBy(func(o client.StartWorkflowOptions) bool {
		return o.ID == "order_ord_1" && o.TaskQueue == TaskQueueOrders &&
			o.WorkflowIDConflictPolicy == enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING &&
			o.WorkflowIDReusePolicy == enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE
	})
	t.Run("starts, or returns the running run", func(t *testing.T) {
		c := &mocks.Client{}
		run := &mocks.WorkflowRun{}
		run.On("GetRunID").Return("run_1")
		c.On("ExecuteWorkflow", mock.Anything, isOrderStart, mock.Anything,
			mock.MatchedBy(func(in OrderInput) bool { return in.OrderID == "ord_1" && in.Shipping.TrackingUpdates == 1 })).
			Return(run, nil)
		id, err := NewClient(c, ClientOptions{Shipping: ShippingOptions{TrackingUpdates: 1}}).StartOrder(t.Context(), order)
		if err != nil || id != "run_1" {
			t.Errorf("StartOrder = %q, %v", id, err)
		}
	})
	t.Run("a closed workflow is not started again", func(t *testing.T) {
		c := &mocks.Client{}
		c.On("ExecuteWorkflow", mock.Anything, isOrderStart, mock.Anything, mock.Anything).
			Return(nil, serviceerror.NewWorkflowExecutionAlreadyStarted("done", "", "run_old"))
		id, err := NewClient(c, ClientOptions{}).StartOrder(t.Context(), order)
		if err != nil || id != "run_old" {
			t.Errorf("StartOrder = %q, %v; want the existing run", id, err)
		}
	})
	t.Run("temporal down", func(t *testing.T) {
		c := &mocks.Client{}
		c.On("ExecuteWorkflow", mock.Anything, mock.Anything, mock.Anything, mock.Anything).
			Return(nil, serviceerror.NewUnavailable("connection refused"))
		_, err := NewClient(c, ClientOptions{}).StartOrder(t.Context(), order)
		if orderly.ErrorCode(err) != orderly.EUNAVAILABLE {
			t.Errorf("err = %v, want EUNAVAILABLE", err)
		}
	})
}

func TestClientUpdateErrors(t *testing.T) {
	tests := []struct {
		name      string
		updateErr error // from UpdateWorkflow
		getErr    error // from the handle
		code      string
		message   string
		field     string
	}{
		{"accepted", nil, nil, "", "", ""},
		{"validator rejects", nil, temporal.NewApplicationError("cannot cancel: already dispatched", orderly.ECONFLICT),
			orderly.ECONFLICT, "cannot cancel: already dispatched", ""},
		{"invalid field", nil, temporal.NewApplicationError("city is required", orderly.EINVALID, "address.city"),
			orderly.EINVALID, "city is required", "address.city"},
		{"no workflow", serviceerror.NewNotFound("workflow not found"), nil,
			orderly.ECONFLICT, "the order is no longer running", ""},
		{"unexpected", errors.New("boom"), nil, orderly.EINTERNAL, "internal error", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &mocks.Client{}
			h := &mocks.WorkflowUpdateHandle{}
			h.On("Get", mock.Anything, mock.Anything).Return(tt.getErr)
			never := &mocks.WorkflowRun{}
			never.On("Get", mock.Anything, mock.Anything).Return(serviceerror.NewNotFound("workflow not found"))
			c.On("GetWorkflow", mock.Anything, "order_ord_1", "").Return(never).Maybe()
			var handle client.WorkflowUpdateHandle = h
			if tt.updateErr != nil {
				handle = nil
			}
			c.On("UpdateWorkflow", mock.Anything, mock.MatchedBy(func(o client.UpdateWorkflowOptions) bool {
				return o.WorkflowID == "order_ord_1" && o.UpdateName == UpdateCancelOrder &&
					o.WaitForStage == client.WorkflowUpdateStageCompleted
			})).Return(handle, tt.updateErr)

			_, err := NewClient(c, ClientOptions{}).CancelOrder(t.Context(), "ord_1", "")
			if orderly.ErrorCode(err) != tt.code || orderly.ErrorMessage(err) != tt.message {
				t.Errorf("err = %v, want %q %q", err, tt.code, tt.message)
			}
			var e *orderly.Error
			if errors.As(err, &e) && e.Field != tt.field {
				t.Errorf("field = %q, want %q", e.Field, tt.field)
			}
		})
	}
}

// TestClientClosedOrder: an update or a signal that finds the order's
// workflow closed (it ended while the request was on its way) is answered
// from how the order ended: a cancel or a rejection of a cancelled order
// succeeds like the requests the workflow itself answered, anything else
// is a CONFLICT that names the end (it was "the order is no longer
// running").
func TestClientClosedOrder(t *testing.T) {
	ended := func(status orderly.OrderStatus, err error) *mocks.WorkflowRun {
		run := &mocks.WorkflowRun{}
		run.On("Get", mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
			*args.Get(1).(*OrderResult) = OrderResult{OrderID: "ord_1", Status: status}
		}).Return(err)
		return run
	}
	closed := serviceerror.NewNotFound("workflow execution already completed")
	addr := orderly.Address{Name: "Ada", Line1: "1 Main St", City: "London", PostalCode: "N1", Country: "GB"}
	calls := map[string]func(*Client) error{
		"cancel":  func(c *Client) error { _, err := c.CancelOrder(t.Context(), "ord_1", ""); return err },
		"reject":  func(c *Client) error { return c.RejectOrder(t.Context(), "ord_1", "op_1", "") },
		"approve": func(c *Client) error { return c.ApproveOrder(t.Context(), "ord_1", "op_1") },
		"address": func(c *Client) error { _, err := c.UpdateShippingAddress(t.Context(), "ord_1", addr); return err },
		"simulate": func(c *Client) error {
			return c.SimulateFailure(t.Context(), "ord_1", orderly.FailureInjection{Step: orderly.StepPayment, Mode: orderly.FailureTransient})
		},
	}
	tests := []struct {
		call   string
		run    *mocks.WorkflowRun
		answer string // "" for success
	}{
		{"cancel", ended(orderly.StatusCancelled, nil), ""},
		{"reject", ended(orderly.StatusCancelled, nil), ""},
		{"cancel", ended("", temporal.NewCanceledError("cancelled through Temporal")), ""},
		{"cancel", ended(orderly.StatusCompleted, nil), "cannot cancel: the order is already completed"},
		{"cancel", ended(orderly.StatusFailed, nil), "cannot cancel: the order is already failed"},
		{"approve", ended(orderly.StatusCancelled, nil), "cannot approve: the order is already cancelled"},
		{"address", ended(orderly.StatusCompleted, nil), "cannot change the address: the order is already completed"},
		{"simulate", ended(orderly.StatusCancelled, nil), "cannot simulate a failure: the order is already cancelled"},
	}
	for _, tt := range tests {
		t.Run(tt.call+"/"+tt.answer, func(t *testing.T) {
			c := &mocks.Client{}
			c.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(nil, closed)
			c.On("SignalWorkflow", mock.Anything, "order_ord_1", "", SignalSimulateFailure, mock.Anything).Return(closed)
			c.On("GetWorkflow", mock.Anything, "order_ord_1", "").Return(tt.run)
			err := calls[tt.call](NewClient(c, ClientOptions{}))
			if tt.answer == "" {
				if err != nil {
					t.Errorf("err = %v, want success", err)
				}
				return
			}
			if orderly.ErrorCode(err) != orderly.ECONFLICT || orderly.ErrorMessage(err) != tt.answer {
				t.Errorf("err = %v, want CONFLICT %q", err, tt.answer)
			}
		})
	}
}

func TestClientValidatesBeforeCalling(t *testing.T) {
	c := &mocks.Client{} // any call would panic: nothing is expected
	cl := NewClient(c, ClientOptions{})
	if err := cl.SimulateFailure(t.Context(), "ord_1", orderly.FailureInjection{Step: "DISK", Mode: orderly.FailureTransient}); orderly.ErrorCode(err) != orderly.EINVALID {
		t.Errorf("unknown step: %v", err)
	}
	if err := cl.SimulateFailure(t.Context(), "ord_1", orderly.FailureInjection{Step: orderly.StepPayment, Mode: "SOMETIMES"}); orderly.ErrorCode(err) != orderly.EINVALID {
		t.Errorf("unknown mode: %v", err)
	}
	if _, err := cl.UpdateShippingAddress(t.Context(), "ord_1", orderly.Address{}); orderly.ErrorCode(err) != orderly.EINVALID {
		t.Errorf("empty address: %v", err)
	}
}

func TestClientSignals(t *testing.T) {
	c := &mocks.Client{}
	inj := orderly.FailureInjection{Step: orderly.StepPayment, Mode: orderly.FailurePermanent}
	c.On("SignalWorkflow", mock.Anything, "order_ord_1", "", SignalSimulateFailure, inj).Return(nil).Once()
	c.On("SignalWorkflow", mock.Anything, "rewards_cus_1", "", SignalCloseRewards, nil).Return(nil).Once()
	c.On("SignalWorkflow", mock.Anything, "rewards_cus_2", "", SignalCloseRewards, nil).
		Return(serviceerror.NewNotFound("workflow not found")).Once()
	cl := NewClient(c, ClientOptions{})
	if err := cl.SimulateFailure(t.Context(), "ord_1", inj); err != nil {
		t.Errorf("simulate: %v", err)
	}
	if err := cl.CloseRewards(t.Context(), "cus_1"); err != nil {
		t.Errorf("close: %v", err)
	}
	if err := cl.CloseRewards(t.Context(), "cus_2"); orderly.ErrorCode(err) != orderly.ECONFLICT {
		t.Errorf("close without a run: %v, want ECONFLICT", err)
	}
	c.AssertExpectations(t)
}

func TestClientRewardsState(t *testing.T) {
	describe := func(s enums.WorkflowExecutionStatus) *workflowservice.DescribeWorkflowExecutionResponse {
		return &workflowservice.DescribeWorkflowExecutionResponse{WorkflowExecutionInfo: &workflowpb.WorkflowExecutionInfo{Status: s}}
	}
	state := orderly.RewardsState{CustomerID: "cus_1", Points: 900, Tier: orderly.TierSilver, Running: true}
	encoded := func() *mocks.Value {
		v := &mocks.Value{}
		v.On("Get", mock.Anything).Run(func(args mock.Arguments) {
			*args.Get(0).(*orderly.RewardsState) = state
		}).Return(nil)
		return v
	}
	tests := []struct {
		name        string
		describeErr error
		status      enums.WorkflowExecutionStatus
		want        orderly.RewardsState
	}{
		{"running", nil, enums.WORKFLOW_EXECUTION_STATUS_RUNNING, state},
		{"closed", nil, enums.WORKFLOW_EXECUTION_STATUS_COMPLETED, orderly.RewardsState{CustomerID: "cus_1", Points: 900, Tier: orderly.TierSilver}},
		{"never started", serviceerror.NewNotFound("not found"), 0, orderly.RewardsState{CustomerID: "cus_1", Tier: orderly.TierBasic}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &mocks.Client{}
			c.On("DescribeWorkflowExecution", mock.Anything, "rewards_cus_1", "").Return(describe(tt.status), tt.describeErr)
			c.On("QueryWorkflow", mock.Anything, "rewards_cus_1", "", QueryRewardsState).Return(encoded(), nil)
			got, err := NewClient(c, ClientOptions{}).RewardsState(context.Background(), "cus_1")
			if err != nil || *got != tt.want {
				t.Errorf("RewardsState = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// TestClientKeepsEveryErrorCode: an update refused with any of the root
// package's error codes reaches the caller with that code. The client reads
// the one list (orderly.ErrorCodes) rather than a copy of its own, where a
// new code would silently have become "internal error".
func TestClientKeepsEveryErrorCode(t *testing.T) {
	for _, code := range orderly.ErrorCodes() {
		if code == orderly.EINTERNAL {
			continue // never a refusal a caller may act on
		}
		t.Run(code, func(t *testing.T) {
			c := &mocks.Client{}
			h := &mocks.WorkflowUpdateHandle{}
			h.On("Get", mock.Anything, mock.Anything).Return(temporal.NewApplicationError("refused", code))
			c.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(h, nil)
			err := NewClient(c, ClientOptions{}).ApproveOrder(t.Context(), "ord_1", "op")
			if got := orderly.ErrorCode(err); got != code || orderly.ErrorMessage(err) != "refused" {
				t.Errorf("err = %v (%s), want %s", err, got, code)
			}
		})
	}
}

func TestClientRefundsAndReturns(t *testing.T) {
	amount := orderly.USD(500)
	tests := []struct {
		name       string
		workflowID string
		update     string
		arg        any
		call       func(*Client) error
	}{
		{"refund", "order_ord_1", UpdateRefundOrder, RefundOrderRequest{OperatorID: "op_1", Amount: &amount, Reason: "late"},
			func(c *Client) error {
				return c.RefundOrder(t.Context(), orderly.OrderRefund{OrderID: "ord_1", Amount: &amount, Reason: "late", OperatorID: "op_1"})
			}},
		{"approve", "return_ret_1", UpdateApproveReturn, ReturnDecisionRequest{OperatorID: "op_1"},
			func(c *Client) error { return c.ApproveReturn(t.Context(), "ret_1", "op_1") }},
		{"reject", "return_ret_1", UpdateRejectReturn, ReturnDecisionRequest{OperatorID: "op_1", Reason: "worn"},
			func(c *Client) error { return c.RejectReturn(t.Context(), "ret_1", "op_1", "worn") }},
		{"received", "return_ret_1", UpdateMarkReturnReceived, ReturnDecisionRequest{OperatorID: "op_1"},
			func(c *Client) error { return c.MarkReturnReceived(t.Context(), "ret_1", "op_1") }},
		{"cancel", "return_ret_1", UpdateCancelReturn, CancelReturnRequest{Reason: "kept it"},
			func(c *Client) error { return c.CancelReturn(t.Context(), "ret_1", "kept it") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &mocks.Client{}
			h := &mocks.WorkflowUpdateHandle{}
			h.On("Get", mock.Anything, mock.Anything).Return(
				temporal.NewApplicationError("cannot refund USD 5.00: USD 0.00 of the USD 10.00 captured is left to refund", orderly.EOVERREFUND, "input.amount"))
			c.On("UpdateWorkflow", mock.Anything, mock.MatchedBy(func(o client.UpdateWorkflowOptions) bool {
				return o.WorkflowID == tt.workflowID && o.UpdateName == tt.update && len(o.Args) == 1 && assertSame(o.Args[0], tt.arg)
			})).Return(h, nil)
			err := tt.call(NewClient(c, ClientOptions{}))
			var e *orderly.Error
			if !errors.As(err, &e) || e.Code != orderly.EOVERREFUND || e.Field != "input.amount" {
				t.Errorf("err = %v, want the workflow's typed answer back", err)
			}
		})
	}
	t.Run("request return answers with the ID", func(t *testing.T) {
		c := &mocks.Client{}
		h := &mocks.WorkflowUpdateHandle{}
		h.On("Get", mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
			*(args.Get(1).(*string)) = "ret_ord_1_1"
		}).Return(nil)
		c.On("UpdateWorkflow", mock.Anything, mock.MatchedBy(func(o client.UpdateWorkflowOptions) bool {
			return o.WorkflowID == "order_ord_1" && o.UpdateName == UpdateRequestReturn
		})).Return(h, nil)
		id, err := NewClient(c, ClientOptions{}).RequestReturn(t.Context(), orderly.ReturnRequest{OrderID: "ord_1",
			Lines: []orderly.LineQuantity{{ProductID: "prd_1", Quantity: 1}}})
		if err != nil || id != "ret_ord_1_1" {
			t.Errorf("RequestReturn = %q, %v", id, err)
		}
	})
	t.Run("a malformed refund never reaches Temporal", func(t *testing.T) {
		c := &mocks.Client{}
		err := NewClient(c, ClientOptions{}).RefundOrder(t.Context(), orderly.OrderRefund{OrderID: "ord_1", Amount: &amount,
			Lines: []orderly.LineQuantity{{ProductID: "prd_1", Quantity: 1}}})
		if orderly.ErrorCode(err) != orderly.EINVALID {
			t.Errorf("amount and lines = %v, want EINVALID", err)
		}
	})
}

// assertSame reports whether a and b encode alike (update arguments).
func assertSame(a, b any) bool { return fmt.Sprintf("%+v", a) == fmt.Sprintf("%+v", b) }
