package workflows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/orderly-shop/orderly"
)

// ClientOptions configure a Client.
type ClientOptions struct {
	// Logger receives unexpected errors in detail; nil discards them.
	Logger *slog.Logger
	// Shipping paces the shipments of the orders this client starts.
	Shipping ShippingOptions
	// Rewards tunes the rewards workflows these orders start.
	Rewards RewardsOptions
	// Returns sets the return window and paces the returns of these orders.
	Returns ReturnOptions
}

// Client implements orderly.OrderProcessing over a Temporal client: it starts
// order workflows, sends them updates and signals, and queries them. Errors a
// caller may act on are *orderly.Error; any other error is internal.
type Client struct {
	client client.Client
	logger *slog.Logger
	opts   ClientOptions
}

var _ orderly.OrderProcessing = (*Client)(nil)

// NewClient returns a Client over c. The caller keeps ownership of c.
func NewClient(c client.Client, opts ClientOptions) *Client {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Client{client: c, logger: logger, opts: opts}
}

// StartOrder starts the order's workflow, or returns the run that already
// processes (or processed) it: the workflow ID comes from the order ID, a
// running workflow is reused and a closed one is never started again.
func (c *Client) StartOrder(ctx context.Context, o *orderly.Order) (string, error) {
	in := OrderInputFor(o)
	in.Shipping = c.opts.Shipping
	in.Rewards = c.opts.Rewards
	in.Returns = c.opts.Returns
	run, err := c.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       orderly.OrderWorkflowIDFor(o.ID),
		TaskQueue:                TaskQueueOrders,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		StaticSummary:            fmt.Sprintf("Order %s for %s: %s", o.ID, o.CustomerID, o.Total),
	}, OrderWorkflow, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return started.RunId, nil
	} else if err != nil {
		return "", c.unexpected(ctx, "start order", err)
	}
	return run.GetRunID(), nil
}

// CancelOrder cancels the order if it has not been dispatched; it returns
// once the order is CANCELLED (refunded and its stock released). An order
// split in parcels, some of which left, is cancelled in part: the parcels
// still here, named in the answer.
func (c *Client) CancelOrder(ctx context.Context, orderID, reason string) (orderly.ShipmentsChange, error) {
	return c.updateChange(ctx, orderID, UpdateCancelOrder, CancelOrderRequest{Reason: reason})
}

// UpdateShippingAddress changes where the order ships, until dispatch: the
// parcels not yet dispatched, named in the answer.
func (c *Client) UpdateShippingAddress(ctx context.Context, orderID string, a orderly.Address) (orderly.ShipmentsChange, error) {
	if err := a.Validate("address"); err != nil {
		return orderly.ShipmentsChange{}, err
	}
	return c.updateChange(ctx, orderID, UpdateChangeShippingAddress, ChangeAddressRequest{Address: a})
}

// updateChange is update for the updates that answer which parcels they
// reached (orders started before split shipments answer nothing).
func (c *Client) updateChange(ctx context.Context, orderID, name string, arg any) (orderly.ShipmentsChange, error) {
	var change orderly.ShipmentsChange
	err := c.runUpdate(ctx, orderly.OrderWorkflowIDFor(orderID), name, arg, &change)
	if isNotFound(err) {
		cancels := name == UpdateCancelOrder || name == UpdateRejectOrder
		return orderly.ShipmentsChange{}, c.closedAnswer(ctx, orderID, updateActions[name], cancels)
	}
	return change, c.workflowError(ctx, name, err, "the order is no longer running")
}

// ApproveOrder approves an order awaiting approval.
func (c *Client) ApproveOrder(ctx context.Context, orderID, operatorID string) error {
	return c.update(ctx, orderID, UpdateApproveOrder, ApprovalRequest{OperatorID: operatorID})
}

// RejectOrder rejects an order awaiting approval; it returns once the order
// is CANCELLED.
func (c *Client) RejectOrder(ctx context.Context, orderID, operatorID, reason string) error {
	return c.update(ctx, orderID, UpdateRejectOrder, ApprovalRequest{OperatorID: operatorID, Reason: reason})
}

// RefundOrder refunds an amount or lines of a captured order; the order's
// workflow checks it against the ledger and answers once the money went
// back.
func (c *Client) RefundOrder(ctx context.Context, r orderly.OrderRefund) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return c.update(ctx, r.OrderID, UpdateRefundOrder, RefundOrderRequest{
		OperatorID: r.OperatorID, Amount: r.Amount, Lines: r.Lines, Reason: r.Reason,
	})
}

// RequestReturn asks the order's workflow for a return and returns its ID.
func (c *Client) RequestReturn(ctx context.Context, r orderly.ReturnRequest) (string, error) {
	var id string
	err := c.updateResult(ctx, orderly.OrderWorkflowIDFor(r.OrderID), UpdateRequestReturn,
		ReturnOrderRequest{Lines: r.Lines, Reason: r.Reason}, &id, "returns for this order are closed")
	return id, err
}

// ApproveReturn approves a requested return; a label is made.
func (c *Client) ApproveReturn(ctx context.Context, returnID, operatorID string) error {
	return c.returnUpdate(ctx, returnID, UpdateApproveReturn, ReturnDecisionRequest{OperatorID: operatorID})
}

// RejectReturn rejects a requested return with a reason.
func (c *Client) RejectReturn(ctx context.Context, returnID, operatorID, reason string) error {
	return c.returnUpdate(ctx, returnID, UpdateRejectReturn, ReturnDecisionRequest{OperatorID: operatorID, Reason: reason})
}

// MarkReturnReceived records that an approved return's parcel arrived.
func (c *Client) MarkReturnReceived(ctx context.Context, returnID, operatorID string) error {
	return c.returnUpdate(ctx, returnID, UpdateMarkReturnReceived, ReturnDecisionRequest{OperatorID: operatorID})
}

// CancelReturn calls a return off, until its parcel is sent.
func (c *Client) CancelReturn(ctx context.Context, returnID, reason string) error {
	return c.returnUpdate(ctx, returnID, UpdateCancelReturn, CancelReturnRequest{Reason: reason})
}

func (c *Client) returnUpdate(ctx context.Context, returnID, name string, arg any) error {
	return c.updateResult(ctx, orderly.ReturnWorkflowIDFor(returnID), name, arg, nil, "the return is over")
}

// SimulateFailure injects a failure into the order's next execution of a
// step. It is a signal: the operator expects no answer.
func (c *Client) SimulateFailure(ctx context.Context, orderID string, f orderly.FailureInjection) error {
	if !slices.Contains(orderly.AllSteps, f.Step) {
		return orderly.FieldErrorf(orderly.EINVALID, "step", "unknown step %q", f.Step)
	}
	switch f.Mode {
	case orderly.FailureTransient, orderly.FailurePermanent, orderly.FailureTimeout:
	default:
		return orderly.FieldErrorf(orderly.EINVALID, "mode", "unknown failure mode %q", f.Mode)
	}
	err := c.client.SignalWorkflow(ctx, orderly.OrderWorkflowIDFor(orderID), "", SignalSimulateFailure, f)
	if isNotFound(err) {
		return c.closedAnswer(ctx, orderID, "simulate a failure", false)
	}
	return c.workflowError(ctx, "simulate failure", err, "the order is no longer running")
}

// OrderState returns the live state of the order's workflow.
func (c *Client) OrderState(ctx context.Context, orderID string) (*orderly.OrderState, error) {
	v, err := c.client.QueryWorkflow(ctx, orderly.OrderWorkflowIDFor(orderID), "", QueryOrderState)
	if err != nil {
		var notFound *serviceerror.NotFound
		if errors.As(err, &notFound) {
			return nil, orderly.Errorf(orderly.ENOTFOUND, "no workflow processes order %s", orderID)
		}
		return nil, c.unexpected(ctx, "query order state", err)
	}
	var s orderly.OrderState
	if err := v.Get(&s); err != nil {
		return nil, c.unexpected(ctx, "decode order state", err)
	}
	return &s, nil
}

// CloseRewards ends the customer's rewards workflow, as
// `temporal workflow signal -w rewards_<customerId> --name close_workflow` does.
func (c *Client) CloseRewards(ctx context.Context, customerID string) error {
	err := c.client.SignalWorkflow(ctx, orderly.RewardsWorkflowIDFor(customerID), "", SignalCloseRewards, nil)
	return c.workflowError(ctx, "close rewards", err, "no rewards workflow is running for this customer")
}

// RewardsState returns the customer's points and tier from the rewards
// workflow, with Running=false when no run is open (then the points are the
// last run's, if one exists; the persisted account is the source of truth).
func (c *Client) RewardsState(ctx context.Context, customerID string) (*orderly.RewardsState, error) {
	id := orderly.RewardsWorkflowIDFor(customerID)
	closed := &orderly.RewardsState{CustomerID: customerID, Tier: orderly.TierBasic}
	desc, err := c.client.DescribeWorkflowExecution(ctx, id, "")
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return closed, nil
	} else if err != nil {
		return nil, c.unexpected(ctx, "describe rewards", err)
	}
	running := desc.GetWorkflowExecutionInfo().GetStatus() == enums.WORKFLOW_EXECUTION_STATUS_RUNNING
	v, err := c.client.QueryWorkflow(ctx, id, "", QueryRewardsState)
	if err != nil {
		if !running {
			// A closed run that cannot be replayed right now still says
			// that no run is open.
			return closed, nil
		}
		return nil, c.unexpected(ctx, "query rewards", err)
	}
	var s orderly.RewardsState
	if err := v.Get(&s); err != nil {
		return nil, c.unexpected(ctx, "decode rewards state", err)
	}
	s.Running = running
	return &s, nil
}

// update runs an update to completion: a validator's rejection and a
// handler's refusal both come back as *orderly.Error. An update that finds
// the workflow closed (it ended between the caller's read of the order and
// the update) is answered from how the order ended, as the workflow
// itself answers the requests that overlap: a cancel or a rejection of a
// cancelled order succeeds, anything else is a CONFLICT naming the end.
func (c *Client) update(ctx context.Context, orderID, name string, arg any) error {
	err := c.runUpdate(ctx, orderly.OrderWorkflowIDFor(orderID), name, arg, nil)
	if isNotFound(err) {
		cancels := name == UpdateCancelOrder || name == UpdateRejectOrder
		return c.closedAnswer(ctx, orderID, updateActions[name], cancels)
	}
	return c.workflowError(ctx, name, err, "the order is no longer running")
}

// updateResult runs an update of a workflow to completion and decodes its
// result into out (nil: none); notRunning words a workflow that is gone.
func (c *Client) updateResult(ctx context.Context, workflowID, name string, arg, out any, notRunning string) error {
	return c.workflowError(ctx, name, c.runUpdate(ctx, workflowID, name, arg, out), notRunning)
}

// runUpdate sends an update and waits for its result, decoded into out.
func (c *Client) runUpdate(ctx context.Context, workflowID, name string, arg, out any) error {
	h, err := c.client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   workflowID,
		UpdateName:   name,
		Args:         []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return err
	}
	return h.Get(ctx, out)
}

// updateActions names what each update asks, for closedAnswer's messages.
var updateActions = map[string]string{
	UpdateCancelOrder:           "cancel",
	UpdateChangeShippingAddress: "change the address",
	UpdateApproveOrder:          "approve",
	UpdateRejectOrder:           "reject",
	UpdateRefundOrder:           "refund",
}

// closedAnswer answers a request to a closed order workflow from its
// result: nil when the request asks for the order to end CANCELLED
// (cancels) and it did; otherwise a CONFLICT that says how the order
// ended, or that no workflow runs it at all.
func (c *Client) closedAnswer(ctx context.Context, orderID, action string, cancels bool) error {
	var res OrderResult
	err := c.client.GetWorkflow(ctx, orderly.OrderWorkflowIDFor(orderID), "").Get(ctx, &res)
	var canceled *temporal.CanceledError
	switch {
	case errors.As(err, &canceled):
		res.Status = orderly.StatusCancelled // cancelled through Temporal, compensated first
	case isNotFound(err):
		return orderly.Errorf(orderly.ECONFLICT, "the order is no longer running")
	case err != nil:
		var failed *temporal.WorkflowExecutionError
		if errors.As(err, &failed) {
			return orderly.Errorf(orderly.ECONFLICT, "cannot %s: the order needs an operator", action)
		}
		return c.unexpected(ctx, "read the order's end", err)
	}
	if cancels && res.Status == orderly.StatusCancelled {
		return nil
	}
	return orderly.Errorf(orderly.ECONFLICT, "cannot %s: the order is already %s", action, lower(res.Status))
}

// isNotFound reports whether Temporal said the workflow is not there to
// take the call: closed, or never started.
func isNotFound(err error) bool {
	var notFound *serviceerror.NotFound
	return errors.As(err, &notFound)
}

// workflowError maps an error from a call to a workflow: an application
// error typed with an orderly error code (what the validators and handlers
// return) becomes that *orderly.Error; a workflow that is gone becomes
// ECONFLICT with notRunning; anything else is unexpected.
func (c *Client) workflowError(ctx context.Context, op string, err error, notRunning string) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && orderly.IsErrorCode(appErr.Type()) && appErr.Type() != orderly.EINTERNAL {
		e := &orderly.Error{Code: appErr.Type(), Message: appErr.Message()}
		if appErr.HasDetails() {
			_ = appErr.Details(&e.Field)
		}
		return e
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return orderly.Errorf(orderly.ECONFLICT, "%s", notRunning)
	}
	return c.unexpected(ctx, op, err)
}

// unexpected logs an error no caller can act on and returns it wrapped (the
// API shows it as "internal error"), except an unreachable Temporal, which
// is worth a retry and says so.
func (c *Client) unexpected(ctx context.Context, op string, err error) error {
	var unavailable *serviceerror.Unavailable
	var deadline *serviceerror.DeadlineExceeded
	if errors.As(err, &unavailable) || errors.As(err, &deadline) {
		c.logger.WarnContext(ctx, "temporal unavailable", "op", op, "err", err)
		return orderly.Errorf(orderly.EUNAVAILABLE, "order processing is unavailable; try again shortly")
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", op, ctx.Err())
	}
	c.logger.ErrorContext(ctx, "temporal call failed", "op", op, "err", err)
	return fmt.Errorf("%s: %w", op, err)
}
