package mongodb

import (
	"context"
	"testing"

	"github.com/orderly-shop/orderly"
)

func TestRewards(t *testing.T) {
	ctx := context.Background()
	rs := NewRewardsService(newTestDB(t))
	a, err := rs.FindRewards(ctx, "cus_a")
	if err != nil || a.Points != 0 || a.Tier != orderly.TierBasic || a.Version != 0 || a.CustomerID != "cus_a" {
		t.Fatalf("new account = %+v, %v", a, err)
	}

	save := func(points, version int) {
		t.Helper()
		acc := &orderly.RewardsAccount{CustomerID: "cus_a", Points: points, Tier: orderly.TierFor(points), OrderIDs: []string{"ord_1"}, Version: version}
		if err := rs.SaveRewards(ctx, acc); err != nil {
			t.Fatal(err)
		}
	}
	save(600, 2)
	save(100, 1) // an older save arriving late is ignored
	save(999, 2) // so is a repeat of the same version
	a, err = rs.FindRewards(ctx, "cus_a")
	if err != nil || a.Points != 600 || a.Tier != orderly.TierSilver || a.Version != 2 || a.UpdatedAt.IsZero() {
		t.Fatalf("account = %+v, %v; want 600 points, SILVER, version 2", a, err)
	}
	save(1600, 3)
	if a, _ = rs.FindRewards(ctx, "cus_a"); a.Points != 1600 || a.Version != 3 {
		t.Fatalf("account after newer save = %+v", a)
	}

	wantCode(t, rs.SaveRewards(ctx, &orderly.RewardsAccount{Version: 1}), orderly.EINVALID)
	wantCode(t, rs.SaveRewards(ctx, &orderly.RewardsAccount{CustomerID: "cus_a"}), orderly.EINVALID)
}
