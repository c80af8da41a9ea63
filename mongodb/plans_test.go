package mongodb

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/orderly-shop/orderly"
)

// TestHotPathsUseAnIndex asks the server how it runs each query of the hot
// paths and of the lists (explain, queryPlanner): none may scan the
// collection. It needs MongoDB's explain, so it runs where CI offers a real
// MongoDB (ORDERLY_TEST_MONGODB_URI); on the embedded store it is skipped,
// and tools/devstore's own tests read SQLite's plans instead.
func TestHotPathsUseAnIndex(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	o := createOrder(t, NewOrderService(db), "cus_a", "k")
	insertProduct(t, db, orderly.Product{ID: "prd_a", Stock: 5})
	since := time.Now().Add(-time.Hour)
	tests := []struct {
		name string
		cmd  bson.D
	}{
		{"read an order", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{{Key: "_id", Value: o.ID}}}}},
		{"apply an order event", bson.D{{Key: "update", Value: colOrders}, {Key: "updates", Value: bson.A{bson.D{
			{Key: "q", Value: bson.D{{Key: "_id", Value: o.ID}, {Key: "version", Value: 1}}},
			{Key: "u", Value: bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: 2}}}}},
		}}}}},
		{"orders by IDs", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{o.ID, "ord_x"}}}}}}}},
		{"reserve stock", bson.D{{Key: "update", Value: colProducts}, {Key: "updates", Value: bson.A{bson.D{
			{Key: "q", Value: bson.D{{Key: "_id", Value: "prd_a"}, {Key: "stock", Value: bson.D{{Key: "$gte", Value: 1}}}, {Key: "reservations", Value: bson.D{{Key: "$ne", Value: o.ID}}}}},
			{Key: "u", Value: bson.D{{Key: "$inc", Value: bson.D{{Key: "stock", Value: -1}}}}},
		}}}}},
		{"refund", bson.D{{Key: "findAndModify", Value: colPayments}, {Key: "query", Value: bson.D{{Key: "_id", Value: "pay_x"}, {Key: "status", Value: "CHARGED"}}},
			{Key: "update", Value: bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: "REFUNDED"}}}}}}},
		{"change a cart", bson.D{{Key: "update", Value: colCarts}, {Key: "updates", Value: bson.A{bson.D{
			{Key: "q", Value: bson.D{{Key: "_id", Value: "cus_a"}, {Key: "version", Value: 3}}},
			{Key: "u", Value: bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: 4}}}}},
		}}}}},
		{"look a session up", bson.D{{Key: "find", Value: colSessions}, {Key: "filter", Value: bson.D{{Key: "_id", Value: "hash"}}}}},
		{"take a change number", bson.D{{Key: "findAndModify", Value: colCounters}, {Key: "query", Value: bson.D{{Key: "_id", Value: changesCounterID}}},
			{Key: "update", Value: bson.D{{Key: "$inc", Value: bson.D{{Key: "seq", Value: 1}}}}}}},
		{"a customer's orders", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{{Key: "customerId", Value: "cus_a"}}},
			{Key: "sort", Value: bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}}}},
		{"orders by status", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{{Key: "status", Value: bson.D{{Key: "$in", Value: bson.A{"PAID"}}}}}},
			{Key: "sort", Value: bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}}}},
		{"the returns queue", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{{Key: "returns.status", Value: bson.D{{Key: "$in", Value: bson.A{"REQUESTED"}}}}}},
			{Key: "sort", Value: bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}}}},
		{"restock a return", bson.D{{Key: "update", Value: colProducts}, {Key: "updates", Value: bson.A{bson.D{
			{Key: "q", Value: bson.D{{Key: "_id", Value: "prd_x"}, {Key: "restocks", Value: bson.D{{Key: "$ne", Value: "ret_x"}}}}},
			{Key: "u", Value: bson.D{{Key: "$inc", Value: bson.D{{Key: "stock", Value: 1}}}}}}}}}},
		{"a provider movement", bson.D{{Key: "update", Value: colPaysimPayments}, {Key: "updates", Value: bson.A{bson.D{
			{Key: "q", Value: bson.D{{Key: "_id", Value: "pi_x"}, {Key: "version", Value: 1}}},
			{Key: "u", Value: bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: 2}}}}}}}}}},
		{"orders updated since", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{{Key: "updatedAt", Value: bson.D{{Key: "$gte", Value: since}}}}}}},
		{"orders by total", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{}},
			{Key: "sort", Value: bson.D{{Key: "total.amount", Value: 1}, {Key: "_id", Value: 1}}}}},
		{"a customer's orders by total", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{{Key: "customerId", Value: "cus_a"}}},
			{Key: "sort", Value: bson.D{{Key: "total.amount", Value: -1}, {Key: "_id", Value: -1}}}}},
		{"orders of a status by total", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{{Key: "status", Value: bson.D{{Key: "$in", Value: bson.A{"PAID"}}}}}},
			{Key: "sort", Value: bson.D{{Key: "total.amount", Value: -1}, {Key: "_id", Value: -1}}}}},
		{"all orders by status", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{}},
			{Key: "sort", Value: bson.D{{Key: "status", Value: -1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}}}},
		{"a customer's orders by status", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{{Key: "customerId", Value: "cus_a"}}},
			{Key: "sort", Value: bson.D{{Key: "status", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}}}},
		{"oldest orders first", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{}},
			{Key: "sort", Value: bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}}}},
		{"a customer by e-mail", bson.D{{Key: "find", Value: colCustomers}, {Key: "filter", Value: bson.D{{Key: "email", Value: "a@example.com"}}}}},
		{"the dashboard's changed orders", bson.D{{Key: "find", Value: colOrders}, {Key: "filter", Value: bson.D{{Key: "updatedAt", Value: bson.D{{Key: "$gte", Value: since}}}}},
			{Key: "sort", Value: bson.D{{Key: "updatedAt", Value: -1}}}}},
		{"the dashboard's count by status", bson.D{{Key: "aggregate", Value: colOrders}, {Key: "pipeline", Value: countByStatusPipeline()}, {Key: "cursor", Value: bson.D{}}}},
		{"a customer's notifications", bson.D{{Key: "find", Value: colNotifications}, {Key: "filter", Value: bson.D{{Key: "customerId", Value: "cus_a"}}},
			{Key: "sort", Value: bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}}}},
		{"pending checkouts", bson.D{{Key: "find", Value: colCarts}, {Key: "filter", Value: bson.D{{Key: "checkout.pending", Value: true}, {Key: "checkout.at", Value: bson.D{{Key: "$lt", Value: since}}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res bson.Raw
			err := db.db.RunCommand(ctx, bson.D{{Key: "explain", Value: tt.cmd}, {Key: "verbosity", Value: "queryPlanner"}}).Decode(&res)
			if err != nil {
				t.Fatalf("explain: %v", err)
			}
			plan, err := res.LookupErr("queryPlanner", "winningPlan")
			if err != nil {
				// An aggregation not pushed down whole explains its cursor stage.
				plan, err = res.LookupErr("stages", "0", "$cursor", "queryPlanner", "winningPlan")
			}
			if err != nil {
				t.Skipf("the store's explain is not MongoDB's (tools/devstore tests its own plans): %v", res)
			}
			stages := planStages(plan)
			for _, s := range stages {
				if s == "COLLSCAN" {
					t.Fatalf("plan scans the collection: %v", stages)
				}
			}
			t.Logf("plan: %v", stages)
		})
	}
}

// planStages lists the stage names of a plan tree, root first.
func planStages(v bson.RawValue) []string {
	doc, ok := v.DocumentOK()
	if !ok {
		return nil
	}
	var out []string
	if s, ok := doc.Lookup("stage").StringValueOK(); ok {
		out = append(out, s)
	}
	for _, key := range []string{"inputStage", "queryPlan"} {
		if child, err := doc.LookupErr(key); err == nil {
			out = append(out, planStages(child)...)
		}
	}
	if children, err := doc.LookupErr("inputStages"); err == nil {
		if arr, ok := children.ArrayOK(); ok {
			values, _ := arr.Values()
			for _, c := range values {
				out = append(out, planStages(c)...)
			}
		}
	}
	return out
}
