package mongodb

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

func TestNotifications(t *testing.T) {
	ctx := context.Background()
	ns := NewNotificationService(newTestDB(t))
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range 5 {
		n := orderly.Notification{
			ID: fmt.Sprintf("ord_1:step%d", i), CustomerID: "cus_a", OrderID: "ord_1",
			Title: fmt.Sprint("Step ", i), Body: "Something happened", CreatedAt: base.Add(time.Duration(i) * time.Minute),
		}
		for range 2 { // a retried activity notifies once
			if err := ns.Notify(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := ns.Notify(ctx, orderly.Notification{ID: "ord_9:paid", CustomerID: "cus_b", Title: "Paid"}); err != nil {
		t.Fatal(err)
	}

	var got []string
	page := orderly.PageRequest{First: 2}
	for {
		p, err := ns.FindNotifications(ctx, "cus_a", page)
		if err != nil {
			t.Fatal(err)
		}
		if p.TotalCount != 5 {
			t.Fatalf("TotalCount = %d, want 5", p.TotalCount)
		}
		for _, n := range p.Items {
			got = append(got, n.ID)
		}
		if !p.HasNextPage {
			break
		}
		page.After = p.Cursors[len(p.Cursors)-1]
	}
	want := "[ord_1:step4 ord_1:step3 ord_1:step2 ord_1:step1 ord_1:step0]"
	if fmt.Sprint(got) != want {
		t.Fatalf("notifications = %v, want %s", got, want)
	}

	// Marking read is scoped by customer: cus_b cannot touch cus_a's.
	if err := ns.MarkNotificationsRead(ctx, "cus_b", []string{"ord_1:step0", "ord_9:paid"}); err != nil {
		t.Fatal(err)
	}
	if err := ns.MarkNotificationsRead(ctx, "cus_a", []string{"ord_1:step1", "ord_1:step2"}); err != nil {
		t.Fatal(err)
	}
	p, err := ns.FindNotifications(ctx, "cus_a", orderly.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]bool{}
	for _, n := range p.Items {
		read[n.ID] = n.Read
	}
	if read["ord_1:step0"] || !read["ord_1:step1"] || !read["ord_1:step2"] || read["ord_1:step3"] {
		t.Errorf("read flags = %v", read)
	}
	pb, _ := ns.FindNotifications(ctx, "cus_b", orderly.PageRequest{})
	if len(pb.Items) != 1 || !pb.Items[0].Read {
		t.Errorf("cus_b's notification = %+v", pb.Items)
	}

	wantCode(t, ns.Notify(ctx, orderly.Notification{CustomerID: "cus_a"}), orderly.EINVALID)
	wantCode(t, ns.Notify(ctx, orderly.Notification{ID: "x"}), orderly.EINVALID)
	wantCode(t, ns.MarkNotificationsRead(ctx, "cus_a", make([]string, maxMarkRead+1)), orderly.EINVALID)
}
