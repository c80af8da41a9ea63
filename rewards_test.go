package orderly

import "testing"

func TestTiers(t *testing.T) {
	for _, tt := range []struct {
		points int
		want   Tier
	}{{0, TierBasic}, {499, TierBasic}, {500, TierSilver}, {1499, TierSilver}, {1500, TierGold}, {4999, TierGold}, {5000, TierPlatinum}, {1 << 30, TierPlatinum}} {
		if got := TierFor(tt.points); got != tt.want {
			t.Errorf("TierFor(%d) = %s, want %s", tt.points, got, tt.want)
		}
	}
	if next, ok := NextTier(TierSilver); !ok || next.Tier != TierGold || next.Points != 1500 {
		t.Errorf("NextTier(SILVER) = %+v, %v", next, ok)
	}
	if _, ok := NextTier(TierPlatinum); ok {
		t.Error("PLATINUM has a next tier")
	}
	if PointsFor(USD(12999)) != 129 || PointsFor(USD(-100)) != 0 {
		t.Error("PointsFor is not one point per whole dollar")
	}
}
