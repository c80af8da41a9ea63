package bare

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"github.com/orderly-shop/orderly"
)

// TestOrderWorkflowShape runs the bare order in the SDK test environment and
// checks the shape the benchmark relies on: Orderly's eleven order activities
// in Orderly's order, the shipping child's steps with one durable timer per
// tracking update plus one before delivery, and COMPLETED.
func TestOrderWorkflowShape(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	a := &Activities{}
	env.RegisterWorkflow(ShippingWorkflow)
	env.RegisterWorkflow(RewardsWorkflow)
	env.RegisterActivity(a)
	// The test environment has no Temporal client for signal-with-start.
	env.OnActivity(a.AwardPoints, mock.Anything, mock.Anything).Return(nil)

	var ran []string
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		ran = append(ran, info.ActivityType.Name)
	})
	timers := 0
	env.SetOnTimerScheduledListener(func(string, time.Duration) { timers++ })

	line := orderly.OrderLine{ProductID: "prd_1", SKU: "S-1", Name: "Thing", UnitPrice: orderly.USD(1500), Quantity: 1, LineTotal: orderly.USD(1500)}
	env.ExecuteWorkflow(OrderWorkflow, OrderInput{
		OrderID: "ord_1", CustomerID: "cus_1", Lines: []orderly.OrderLine{line},
		Subtotal: orderly.USD(1500), ShippingCost: orderly.USD(0), Total: orderly.USD(1500),
		ShippingAddress: orderly.Address{Name: "A", Line1: "1 Road", City: "London", PostalCode: "N1", Country: "GB"},
		Shipping:        ShippingOptions{TrackingUpdates: 3, TrackingInterval: time.Second},
	})
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	var res OrderResult
	if err := env.GetWorkflowResult(&res); err != nil || res.Status != orderly.StatusCompleted || res.PointsAwarded != 15 {
		t.Fatalf("result %+v, err %v; want COMPLETED with 15 points", res, err)
	}
	order := []string{"ValidateOrder", "ReserveInventory", "AuthorizePayment", "Notify", "RecordOrderEvent",
		"CommitInventory", "CapturePayment", "Notify", "Notify", "AwardPoints", "RecordOrderEvent"}
	shipping := []string{"CreateLabel", "SchedulePickup", "DispatchShipment", "RecordTracking", "RecordTracking", "RecordTracking", "DeliverShipment"}
	var gotOrder, gotShipping []string
	for _, name := range ran {
		if slices.Contains(shipping, name) {
			gotShipping = append(gotShipping, name)
		} else {
			gotOrder = append(gotOrder, name)
		}
	}
	if !slices.Equal(gotOrder, order) || !slices.Equal(gotShipping, shipping) {
		t.Fatalf("activities\n order    %v\n shipping %v\nwant\n order    %v\n shipping %v", gotOrder, gotShipping, order, shipping)
	}
	// The test environment's clock does not move between delivery and
	// completion, so the return window is still open then.
	if timers != 6 {
		t.Fatalf("%d durable timers, want 6 (the hold's renewal, 3 tracking updates, delivery, the return window)", timers)
	}
}
