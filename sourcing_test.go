package orderly

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

var (
	east = Location{ID: "loc_a-us-east", Name: "US East", Country: "US"}
	west = Location{ID: "loc_b-us-west", Name: "US West", Country: "US"}
	eu   = Location{ID: "loc_c-eu", Name: "EU", Country: "DE"}
	uk   = Location{ID: "loc_d-uk", Name: "UK", Country: "GB"}
)

// stockOf builds an Availability: "product@location": units.
func stockOf(locs []Location, units map[string]int) Availability {
	a := Availability{Locations: locs, Units: map[string]map[string]int{}}
	for k, n := range units {
		product, loc, _ := strings.Cut(k, "@")
		if a.Units[product] == nil {
			a.Units[product] = map[string]int{}
		}
		a.Units[product][loc] = n
	}
	return a
}

func want(pairs ...string) []string { return pairs }

// describe writes allocations as "location: product×n, …" per parcel.
func describe(allocs []Allocation) []string {
	var out []string
	for _, a := range allocs {
		var parts []string
		for _, l := range a.Lines {
			parts = append(parts, fmt.Sprintf("%s×%d", l.ProductID, l.Quantity))
		}
		out = append(out, a.Location.ID+": "+strings.Join(parts, ", "))
	}
	return out
}

func orderLines(pairs ...any) []OrderLine {
	var ls []OrderLine
	for i := 0; i < len(pairs); i += 2 {
		ls = append(ls, OrderLine{ProductID: pairs[i].(string), Name: strings.ToUpper(pairs[i].(string)),
			UnitPrice: USD(1000), Quantity: pairs[i+1].(int), LineTotal: USD(1000).Times(pairs[i+1].(int))})
	}
	return ls
}

func TestFewestShipments(t *testing.T) {
	all := []Location{east, west, eu, uk}
	tests := []struct {
		name   string
		lines  []OrderLine
		shipTo string
		stock  map[string]int
		want   []string
	}{
		{
			name: "one location has everything: one parcel", lines: orderLines("p", 2, "q", 1), shipTo: "US",
			stock: map[string]int{"p@loc_a-us-east": 5, "q@loc_a-us-east": 5, "p@loc_c-eu": 9, "q@loc_c-eu": 9},
			want:  want("loc_a-us-east: p×2, q×1"),
		},
		{
			name: "one location abroad beats two at home", lines: orderLines("p", 2, "q", 1), shipTo: "US",
			stock: map[string]int{"p@loc_a-us-east": 5, "q@loc_b-us-west": 5, "p@loc_c-eu": 2, "q@loc_c-eu": 1},
			want:  want("loc_c-eu: p×2, q×1"),
		},
		{
			name: "among single locations, the one in the shipping country", lines: orderLines("p", 1), shipTo: "DE",
			stock: map[string]int{"p@loc_a-us-east": 5, "p@loc_b-us-west": 5, "p@loc_c-eu": 5},
			want:  want("loc_c-eu: p×1"),
		},
		{
			name: "among single locations in no shipping country, the first", lines: orderLines("p", 1), shipTo: "FR",
			stock: map[string]int{"p@loc_b-us-west": 5, "p@loc_c-eu": 5},
			want:  want("loc_b-us-west: p×1"),
		},
		{
			name: "no one has everything: two parcels", lines: orderLines("p", 1, "q", 1), shipTo: "US",
			stock: map[string]int{"p@loc_a-us-east": 1, "q@loc_c-eu": 1},
			want:  want("loc_a-us-east: p×1", "loc_c-eu: q×1"),
		},
		{
			name: "two parcels, the pair with the shipping country preferred", lines: orderLines("p", 1, "q", 1), shipTo: "GB",
			stock: map[string]int{"p@loc_a-us-east": 1, "q@loc_c-eu": 1, "q@loc_d-uk": 1},
			want:  want("loc_d-uk: q×1", "loc_a-us-east: p×1"),
		},
		{
			name: "the parcel from the shipping country comes first", lines: orderLines("p", 1, "q", 1), shipTo: "DE",
			stock: map[string]int{"p@loc_a-us-east": 1, "q@loc_c-eu": 1},
			want:  want("loc_c-eu: q×1", "loc_a-us-east: p×1"),
		},
		{
			name: "the fewest parcels, not the most local", lines: orderLines("p", 1, "q", 1, "r", 1), shipTo: "US",
			// East, West and EU would take three parcels; EU and UK
			// take two.
			stock: map[string]int{"p@loc_a-us-east": 1, "q@loc_b-us-west": 1, "r@loc_c-eu": 1, "p@loc_d-uk": 1, "q@loc_d-uk": 1},
			want:  want("loc_c-eu: r×1", "loc_d-uk: p×1, q×1"),
		},
		{
			name: "a line no one has whole is split", lines: orderLines("p", 5), shipTo: "US",
			stock: map[string]int{"p@loc_a-us-east": 3, "p@loc_b-us-west": 4},
			want:  want("loc_a-us-east: p×1", "loc_b-us-west: p×4"),
		},
		{
			name: "among equal pairs, the one that splits no line", lines: orderLines("p", 4, "q", 1), shipTo: "FR",
			// {east, west} must split p (2 + 2); {east, eu} ships p whole from EU.
			stock: map[string]int{"p@loc_a-us-east": 2, "q@loc_a-us-east": 1, "p@loc_b-us-west": 2, "p@loc_c-eu": 4},
			want:  want("loc_a-us-east: q×1", "loc_c-eu: p×4"),
		},
		{
			name: "the shipping country comes before whole lines", lines: orderLines("p", 4, "q", 1), shipTo: "US",
			// The same stock shipped to the US: both parcels from home.
			stock: map[string]int{"p@loc_a-us-east": 2, "q@loc_a-us-east": 1, "p@loc_b-us-west": 2, "p@loc_c-eu": 4},
			want:  want("loc_a-us-east: p×2, q×1", "loc_b-us-west: p×2"),
		},
		{
			name: "one location that has everything, though another has some", lines: orderLines("p", 2, "q", 3), shipTo: "US",
			stock: map[string]int{"p@loc_a-us-east": 2, "p@loc_b-us-west": 2, "q@loc_b-us-west": 3},
			want:  want("loc_b-us-west: p×2, q×3"),
		},
		{
			name: "lines of one product add up", lines: orderLines("p", 2, "p", 2), shipTo: "US",
			stock: map[string]int{"p@loc_a-us-east": 3, "p@loc_c-eu": 4},
			want:  want("loc_c-eu: p×4"),
		},
		{
			name: "three parcels when it takes three", lines: orderLines("p", 1, "q", 1, "r", 1), shipTo: "US",
			stock: map[string]int{"p@loc_a-us-east": 1, "q@loc_b-us-west": 1, "r@loc_c-eu": 1},
			want:  want("loc_a-us-east: p×1", "loc_b-us-west: q×1", "loc_c-eu: r×1"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FewestShipments{}.Source(tt.lines, tt.shipTo, stockOf(all, tt.stock))
			if err != nil {
				t.Fatalf("Source: %v", err)
			}
			if d := describe(got); !slices.Equal(d, tt.want) {
				t.Errorf("parcels = %q, want %q", d, tt.want)
			}
			if err := CheckAllocations(tt.lines, got); err != nil {
				t.Errorf("CheckAllocations: %v", err)
			}
			for _, a := range got {
				for _, l := range a.Lines {
					if l.LineTotal != l.UnitPrice.Times(l.Quantity) {
						t.Errorf("%s at %s is priced %s for %d units", l.ProductID, a.Location.ID, l.LineTotal, l.Quantity)
					}
				}
			}
		})
	}
}

func TestFewestShipmentsRefuses(t *testing.T) {
	all := []Location{east, west, eu}
	tests := []struct {
		name  string
		lines []OrderLine
		stock map[string]int
		code  string
		say   string
	}{
		{"not enough anywhere together", orderLines("p", 8), map[string]int{"p@loc_a-us-east": 3, "p@loc_c-eu": 4}, EOUTOFSTOCK, "8 wanted, 7 available"},
		{"an unknown product", orderLines("x", 1), map[string]int{"p@loc_a-us-east": 3}, EOUTOFSTOCK, "not enough X"},
		{"no lines", nil, nil, EINVALID, ""},
		{"a zero quantity", orderLines("p", 0), map[string]int{"p@loc_a-us-east": 3}, EINVALID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FewestShipments{}.Source(tt.lines, "US", stockOf(all, tt.stock))
			if ErrorCode(err) != tt.code || !strings.Contains(ErrorMessage(err), tt.say) {
				t.Errorf("Source = %v, want %s saying %q", err, tt.code, tt.say)
			}
		})
	}
}

// TestFewestShipmentsIsMinimal checks the rule against every small stock
// table over three locations: it always finds a cover when one exists,
// and no set of fewer locations covers the order.
func TestFewestShipmentsIsMinimal(t *testing.T) {
	locs := []Location{east, west, eu}
	lines := orderLines("p", 2, "q", 1)
	checked := 0
	// Each of p and q at each location holds 0..2 units: 3^6 tables.
	for code := range 729 {
		units := map[string]int{}
		c := code
		for _, p := range []string{"p", "q"} {
			for _, l := range locs {
				units[p+"@"+l.ID] = c % 3
				c /= 3
			}
		}
		stock := stockOf(locs, units)
		got, err := FewestShipments{}.Source(lines, "US", stock)
		fewest := 0
		for size := 1; size <= len(locs) && fewest == 0; size++ {
			for set := range combinations(len(locs), size) {
				var chosen []Location
				for _, i := range set {
					chosen = append(chosen, locs[i])
				}
				if covers(lines, chosen, stock) {
					fewest = size
					break
				}
			}
		}
		switch {
		case fewest == 0 && ErrorCode(err) != EOUTOFSTOCK:
			t.Fatalf("%v: Source = %v, %v; want OUT_OF_STOCK", units, describe(got), err)
		case fewest > 0 && err != nil:
			t.Fatalf("%v: Source: %v", units, err)
		case fewest > 0 && len(got) != fewest:
			t.Fatalf("%v: %d parcels %v, but %d locations cover it", units, len(got), describe(got), fewest)
		case fewest > 0:
			if err := CheckAllocations(lines, got); err != nil {
				t.Fatalf("%v: %v", units, err)
			}
			for _, a := range got {
				for _, l := range a.Lines {
					if l.Quantity > stock.Of(l.ProductID, a.Location.ID) {
						t.Fatalf("%v: %d of %s from %s, which holds %d", units, l.Quantity, l.ProductID, a.Location.ID, stock.Of(l.ProductID, a.Location.ID))
					}
				}
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d sourceable tables: the test covers too little", checked)
	}
}

func TestSourcingOrDefault(t *testing.T) {
	if _, ok := SourcingOrDefault(nil).(FewestShipments); !ok {
		t.Error("the default rule is not FewestShipments")
	}
	custom := ruleFunc(func([]OrderLine, string, Availability) ([]Allocation, error) { return nil, nil })
	if _, ok := SourcingOrDefault(custom).(ruleFunc); !ok {
		t.Error("a given rule is not kept")
	}
}

type ruleFunc func([]OrderLine, string, Availability) ([]Allocation, error)

func (f ruleFunc) Source(l []OrderLine, to string, a Availability) ([]Allocation, error) {
	return f(l, to, a)
}

func TestCheckAllocations(t *testing.T) {
	lines := orderLines("p", 2, "q", 1)
	ok := []Allocation{{Location: east, Lines: orderLines("p", 2)}, {Location: eu, Lines: orderLines("q", 1)}}
	if err := CheckAllocations(lines, ok); err != nil {
		t.Errorf("a right plan: %v", err)
	}
	bad := map[string][]Allocation{
		"a unit short":      {{Location: east, Lines: orderLines("p", 1, "q", 1)}},
		"a unit too many":   {{Location: east, Lines: orderLines("p", 3, "q", 1)}},
		"another product":   {{Location: east, Lines: orderLines("p", 2, "q", 1, "r", 1)}},
		"a location twice":  {{Location: east, Lines: orderLines("p", 2)}, {Location: east, Lines: orderLines("q", 1)}},
		"an empty parcel":   {{Location: east, Lines: orderLines("p", 2, "q", 1)}, {Location: eu}},
		"no location":       {{Lines: orderLines("p", 2, "q", 1)}},
		"nothing allocated": nil,
	}
	for name, allocs := range bad {
		if err := CheckAllocations(lines, allocs); ErrorCode(err) != EINVALID {
			t.Errorf("%s: CheckAllocations = %v, want INVALID", name, err)
		}
	}
}
