package orderly

import (
	"slices"
)

// Allocation is one parcel of an order: the units one location ships. An
// order's allocations are its shipments, in the order they are numbered.
type Allocation struct {
	Location Location `json:"location"`
	// Lines are the order's lines as this location ships them: the
	// quantity it sends and what that is worth at the prices paid.
	Lines []OrderLine `json:"lines"`
}

// Availability is what the sourcing rule chooses from: the locations, and
// the units each holds of the products an order wants.
type Availability struct {
	// Locations in the order ties are broken, by ID (SortLocations).
	Locations []Location
	// Units is the units available, by product ID, then location ID.
	Units map[string]map[string]int
}

// Of returns the units of a product available at a location.
func (a Availability) Of(productID, locationID string) int { return a.Units[productID][locationID] }

// SourcingRule decides where an order's units ship from. Every layer that
// sources an order (the workflows' activities, the test fakes) calls a
// rule; FewestShipments is the default.
type SourcingRule interface {
	// Source returns the order's parcels: every line's quantity, taken
	// from locations that hold it, or EOUTOFSTOCK naming a product that
	// no set of locations has enough of.
	Source(lines []OrderLine, shipTo string, stock Availability) ([]Allocation, error)
}

// SourcingOrDefault returns rule, or FewestShipments when rule is nil.
func SourcingOrDefault(rule SourcingRule) SourcingRule {
	if rule == nil {
		return FewestShipments{}
	}
	return rule
}

// FewestShipments is the default sourcing rule, the one shops use:
//
//  1. ship from one location when one has everything;
//  2. otherwise split across the fewest locations that have it all
//     together (a line splits across locations only when no one of them
//     has all of it);
//  3. among equally few, prefer the sets with more locations in the
//     shipping country, then those that split fewer lines, then the
//     locations earliest in Availability.Locations.
//
// Within the chosen set a line ships whole from the first location that
// has all of it (those in the shipping country first); a line that none
// has whole takes the most from the locations that hold the most.
type FewestShipments struct{}

// Source implements SourcingRule. It tries the sets of locations by
// size, so its cost is bounded by MaxLocations.
func (FewestShipments) Source(lines []OrderLine, shipTo string, stock Availability) ([]Allocation, error) {
	need, err := neededUnits(lines)
	if err != nil {
		return nil, err
	}
	locs := stock.Locations
	if len(locs) > MaxLocations {
		locs = locs[:MaxLocations]
	}
	for _, n := range need {
		total := 0
		for _, l := range locs {
			total += stock.Of(n.ProductID, l.ID)
		}
		if total < n.Quantity {
			return nil, Errorf(EOUTOFSTOCK, "not enough %s in stock: %d wanted, %d available", n.Name, n.Quantity, total)
		}
	}
	for size := 1; size <= len(locs); size++ {
		var best []Allocation
		bestHome, bestSplits := -1, 0
		for set := range combinations(len(locs), size) {
			chosen := make([]Location, len(set))
			for i, idx := range set {
				chosen[i] = locs[idx]
			}
			if !covers(need, chosen, stock) {
				continue
			}
			allocs, splits := allocate(need, preferHome(chosen, shipTo), stock)
			home := countHome(chosen, shipTo)
			if home > bestHome || home == bestHome && splits < bestSplits {
				best, bestHome, bestSplits = allocs, home, splits
			}
		}
		if best != nil {
			return best, nil
		}
	}
	// Unreachable: the totals above cover every product with all locations.
	return nil, Errorf(EOUTOFSTOCK, "the order cannot be sourced")
}

// neededUnits sums the lines per product, keeping the first line of each
// (its name and price) in the order's line order.
func neededUnits(lines []OrderLine) ([]OrderLine, error) {
	if len(lines) == 0 {
		return nil, FieldErrorf(EINVALID, "lines", "an order needs at least one line")
	}
	var need []OrderLine
	for _, l := range lines {
		if l.ProductID == "" || l.Quantity <= 0 {
			return nil, FieldErrorf(EINVALID, "lines", "every line needs a product and a positive quantity")
		}
		if i := slices.IndexFunc(need, func(n OrderLine) bool { return n.ProductID == l.ProductID }); i >= 0 {
			need[i].Quantity += l.Quantity
			continue
		}
		need = append(need, l)
	}
	return need, nil
}

// covers reports whether the locations together hold every needed unit.
func covers(need []OrderLine, locs []Location, stock Availability) bool {
	for _, n := range need {
		have := 0
		for _, l := range locs {
			have += stock.Of(n.ProductID, l.ID)
		}
		if have < n.Quantity {
			return false
		}
	}
	return true
}

// preferHome returns the locations with those in the country first, each
// group in its given order.
func preferHome(locs []Location, country string) []Location {
	out := make([]Location, 0, len(locs))
	for _, home := range []bool{true, false} {
		for _, l := range locs {
			if (l.Country == country) == home {
				out = append(out, l)
			}
		}
	}
	return out
}

func countHome(locs []Location, country string) int {
	n := 0
	for _, l := range locs {
		if l.Country == country {
			n++
		}
	}
	return n
}

// allocate assigns every needed unit to the locations (which cover them),
// in preference order, and returns the non-empty parcels in that order and
// the number of lines split across parcels.
func allocate(need []OrderLine, locs []Location, stock Availability) ([]Allocation, int) {
	parcels := make([]Allocation, len(locs))
	for i, l := range locs {
		parcels[i].Location = l
	}
	splits := 0
	for _, n := range need {
		whole := slices.IndexFunc(locs, func(l Location) bool { return stock.Of(n.ProductID, l.ID) >= n.Quantity })
		if whole >= 0 {
			parcels[whole].Lines = append(parcels[whole].Lines, part(n, n.Quantity))
			continue
		}
		splits++
		order := make([]int, len(locs))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int {
			return stock.Of(n.ProductID, locs[b].ID) - stock.Of(n.ProductID, locs[a].ID)
		})
		left := n.Quantity
		for _, i := range order {
			take := min(left, stock.Of(n.ProductID, locs[i].ID))
			if take > 0 {
				parcels[i].Lines = append(parcels[i].Lines, part(n, take))
				left -= take
			}
		}
	}
	return slices.DeleteFunc(parcels, func(a Allocation) bool { return len(a.Lines) == 0 }), splits
}

// part is q units of a line, priced as bought.
func part(l OrderLine, q int) OrderLine {
	l.Quantity = q
	l.LineTotal = l.UnitPrice.Times(q)
	return l
}

// combinations yields the size-element subsets of 0..n-1 as increasing
// index lists, in lexicographic order.
func combinations(n, size int) func(yield func([]int) bool) {
	return func(yield func([]int) bool) {
		idx := make([]int, size)
		for i := range idx {
			idx[i] = i
		}
		for {
			if !yield(slices.Clone(idx)) {
				return
			}
			i := size - 1
			for i >= 0 && idx[i] == n-size+i {
				i--
			}
			if i < 0 {
				return
			}
			idx[i]++
			for j := i + 1; j < size; j++ {
				idx[j] = idx[j-1] + 1
			}
		}
	}
}

// AllocatedUnits sums the units of allocations per product: what the
// parcels ship of each.
func AllocatedUnits(allocs []Allocation) map[string]int {
	out := map[string]int{}
	for _, a := range allocs {
		for _, l := range a.Lines {
			out[l.ProductID] += l.Quantity
		}
	}
	return out
}

// CheckAllocations checks that allocations ship exactly the order's lines,
// each from a distinct location: what a custom SourcingRule must return.
func CheckAllocations(lines []OrderLine, allocs []Allocation) error {
	need, err := neededUnits(lines)
	if err != nil {
		return err
	}
	got := AllocatedUnits(allocs)
	for _, n := range need {
		if got[n.ProductID] != n.Quantity {
			return Errorf(EINVALID, "the parcels ship %d of %s, the order has %d", got[n.ProductID], n.Name, n.Quantity)
		}
		delete(got, n.ProductID)
	}
	if len(got) > 0 {
		return Errorf(EINVALID, "the parcels ship products the order does not have")
	}
	var seen []string
	for _, a := range allocs {
		if a.Location.ID == "" || slices.Contains(seen, a.Location.ID) || len(a.Lines) == 0 {
			return Errorf(EINVALID, "every parcel needs lines and a location of its own")
		}
		seen = append(seen, a.Location.ID)
	}
	return nil
}
