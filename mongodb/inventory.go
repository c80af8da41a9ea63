package mongodb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// InventoryService holds stock per location with single-document
// conditional updates on the product, the one kind of write that is atomic
// on every store this package supports. It implements
// orderly.InventoryService.
//
// A product document carries its stock per location, its total, and what
// each order holds of it where:
//
//	{_id: "prd_lamp", stock: 12, stockAt: {"loc_us-east": 5, "loc_eu": 7},
//	 holds: {"ord_1": {"loc_us-east": 2, "loc_eu": 1}}, version: 9, …}
//
// so that an order's reservation of one product, at one location or
// several, is one write by _id:
//
//	reserve: updateOne({_id, "stockAt.L": {$gte: q} per location, "holds.<order>": {$exists: false}},
//	                   {$inc: {"stockAt.L": -q per location, stock: -Σq, version: 1}, $set: {"holds.<order>": {L: q}}})
//	release: updateOne({_id, "holds.<order>.L": q per location released},
//	                   {$inc: {"stockAt.L": +q, stock: +Σq, version: 1}, $unset: {"holds.<order>.L" or "holds.<order>"}})
//	commit:  the same guard, only $unset: the units left with the parcel
//	restock: updateOne({_id, restocks != key}, {$inc: {"stockAt.L": +q, stock: +q, version: 1}, $push: {restocks: key}})
//
// The $gte guards make overselling any location impossible, the hold's
// $exists guard makes a reservation idempotent per order, and a release's
// guard on the exact units held makes it idempotent too: a retry finds
// nothing held and changes nothing. A release gives each unit back to the
// location it was taken from, because the hold says where.
//
// Orders reserved before locations existed are listed in the product's
// reservations array (their units were taken from stock, not from a
// location); releasing one gives its line's quantity back to the first
// location (legacyLocationID), where Seed moved the stock of such products.
//
// Each write that moves stock is announced to the change feed first (the
// cached catalogs of the servers follow it); the product is read by _id
// beforehand to learn the version it will reach, which also answers a
// retry without writing.
type InventoryService struct {
	db *DB
}

var (
	_ orderly.InventoryService = (*InventoryService)(nil)
	_ orderly.LocationService  = (*InventoryService)(nil)
)

// NewInventoryService returns an InventoryService over db.
func NewInventoryService(db *DB) *InventoryService { return &InventoryService{db: db} }

// productDoc is a product as stored: the catalog's fields and what the
// orders hold of it.
type productDoc struct {
	orderly.Product `bson:",inline"`
	// Holds are the units each order holds, by order ID, then location ID.
	Holds map[string]map[string]int `bson:"holds,omitempty"`
	// Reservations are the orders that reserved the product before stock
	// had locations; their quantities are their lines'.
	Reservations []string `bson:"reservations"`
	// Restocks are the returns and keyed restocks whose units came back to
	// this product's stock: each is taken in once. The list only grows, by
	// one per return of the product or keyed restock.
	Restocks []string `bson:"restocks,omitempty"`
}

// rollbackTimeout bounds the release of a partial reservation, which runs even
// when the caller's context has ended.
const rollbackTimeout = 10 * time.Second

// stockLine is what an order holds, or is to hold, of one product: units
// by location.
type stockLine struct {
	productID string
	name      string
	quantity  int
	at        map[string]int
}

// Availability reads the products' stock per location and the locations
// that hold any of it, with what orderID holds counted back in: two reads
// by _id.
func (s *InventoryService) Availability(ctx context.Context, orderID string, productIDs []string) (orderly.Availability, error) {
	av := orderly.Availability{Units: map[string]map[string]int{}}
	if len(productIDs) == 0 {
		return av, nil
	}
	projection := bson.D{{Key: "stockAt", Value: 1}}
	if orderID != "" {
		projection = append(projection, bson.E{Key: "holds." + orderID, Value: 1})
	}
	cur, err := s.db.coll(colProducts).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: productIDs}}}},
		options.Find().SetProjection(projection))
	if err != nil {
		return av, fmt.Errorf("availability: %w", err)
	}
	var docs []productDoc
	if err := cur.All(ctx, &docs); err != nil {
		return av, fmt.Errorf("availability: %w", err)
	}
	var ids []string
	for _, d := range docs {
		units := maps.Clone(d.StockAt)
		if units == nil {
			units = map[string]int{}
		}
		for loc, q := range d.Holds[orderID] {
			units[loc] += q
		}
		av.Units[d.ID] = units
		for id := range units {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	locs, err := s.locationsByID(ctx, ids)
	if err != nil {
		return av, fmt.Errorf("availability: %w", err)
	}
	av.Locations = locs
	return av, nil
}

// ReserveStock holds every allocation's units for the order at its
// location, all or none: when a location cannot meet its units it gives
// back what it held and returns EOUTOFSTOCK naming the product and the
// location (ENOTFOUND for an unknown product).
func (s *InventoryService) ReserveStock(ctx context.Context, orderID string, allocs []orderly.Allocation) error {
	need, err := planLines(orderID, allocs)
	if err != nil {
		return err
	}
	for _, l := range need {
		err := s.reserve(ctx, orderID, l)
		if err == nil {
			continue
		}
		if rerr := s.rollback(ctx, orderID, need); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return nil
}

// rollback undoes a partial reservation. It releases every line, not only
// those before the one that failed: an earlier attempt of the same call may
// have reserved lines after it, and releasing a line that holds no
// reservation is a no-op. It runs even if ctx has ended, so that a cancelled
// request does not leave stock held.
func (s *InventoryService) rollback(ctx context.Context, orderID string, need []stockLine) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
	defer cancel()
	for _, l := range need {
		if err := s.release(ctx, orderID, "", l, false); err != nil {
			return fmt.Errorf("reserve stock: rollback: %w", err)
		}
	}
	return nil
}

func (s *InventoryService) reserve(ctx context.Context, orderID string, l stockLine) error {
	p, err := s.stockOf(ctx, l.productID)
	if err != nil {
		return err
	}
	if held, ok := p.Holds[orderID]; ok {
		if maps.Equal(held, l.at) {
			return nil // a retry: reserved already
		}
		// An earlier plan's hold: give it back, then hold this plan's.
		if err := s.release(ctx, orderID, "", l, false); err != nil {
			return fmt.Errorf("reserve stock: %w", err)
		}
		if p, err = s.stockOf(ctx, l.productID); err != nil {
			return err
		}
	}
	if slices.Contains(p.Reservations, orderID) {
		return nil // reserved before locations existed
	}
	if short := shortAt(p, l); short != "" {
		return s.errShort(ctx, p, l, short)
	}
	if err := s.db.announce(ctx, orderly.Change{Kind: orderly.ChangeProduct, ID: p.ID, Version: p.Version + 1}); err != nil {
		return fmt.Errorf("reserve stock: %w", err)
	}
	filter := bson.D{{Key: "_id", Value: l.productID}}
	inc := bson.D{{Key: "stock", Value: -l.quantity}, {Key: "version", Value: 1}}
	hold := bson.D{}
	for _, loc := range sortedKeys(l.at) {
		filter = append(filter, bson.E{Key: "stockAt." + loc, Value: bson.D{{Key: "$gte", Value: l.at[loc]}}})
		inc = append(inc, bson.E{Key: "stockAt." + loc, Value: -l.at[loc]})
		hold = append(hold, bson.E{Key: loc, Value: l.at[loc]})
	}
	filter = append(filter, bson.E{Key: "holds." + orderID, Value: bson.D{{Key: "$exists", Value: false}}})
	res, err := s.db.coll(colProducts).UpdateOne(ctx, filter, bson.D{
		{Key: "$inc", Value: inc},
		{Key: "$set", Value: bson.D{{Key: "holds." + orderID, Value: hold}}},
	})
	if err != nil {
		return fmt.Errorf("reserve stock: %w", err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	// Nothing matched: a concurrent reserve took the stock first, or this
	// order's own earlier attempt is still landing. Read again to tell.
	if p, err = s.stockOf(ctx, l.productID); err != nil {
		return err
	}
	if held, ok := p.Holds[orderID]; ok && maps.Equal(held, l.at) {
		return nil
	}
	return s.errShort(ctx, p, l, shortAt(p, l))
}

// shortAt returns the first location (by ID) that holds fewer of the
// product than the line takes from it, "" if none does.
func shortAt(p *productDoc, l stockLine) string {
	for _, loc := range sortedKeys(l.at) {
		if p.StockAt[loc] < l.at[loc] {
			return loc
		}
	}
	return ""
}

// stockOf reads a product's stock, version and holds.
func (s *InventoryService) stockOf(ctx context.Context, productID string) (*productDoc, error) {
	var p productDoc
	err := s.db.coll(colProducts).FindOne(ctx, bson.D{{Key: "_id", Value: productID}},
		options.FindOne().SetProjection(bson.D{
			{Key: "name", Value: 1}, {Key: "stock", Value: 1}, {Key: "stockAt", Value: 1}, {Key: "version", Value: 1},
			{Key: "holds", Value: 1}, {Key: "reservations", Value: 1}, {Key: "restocks", Value: 1},
		})).Decode(&p)
	if err != nil {
		return nil, notFoundOr(err, "reserve stock", "product %q not found", productID)
	}
	return &p, nil
}

func (s *InventoryService) errShort(ctx context.Context, p *productDoc, l stockLine, loc string) error {
	where := loc
	if locs, err := s.locationsByID(ctx, []string{loc}); err == nil && len(locs) == 1 {
		where = locs[0].Name
	}
	return orderly.Errorf(orderly.EOUTOFSTOCK, "not enough %s in stock at %s: %d wanted, %d available",
		p.Name, where, l.at[loc], p.StockAt[loc])
}

// ReleaseStock gives the order's units held at the location (every
// location for "") back where they came from; units not held for the order
// (never reserved, released or committed) are left alone.
func (s *InventoryService) ReleaseStock(ctx context.Context, orderID, locationID string, lines []orderly.OrderLine) error {
	need, err := heldLines(orderID, lines)
	if err != nil {
		return err
	}
	for _, l := range need {
		if err := s.release(ctx, orderID, locationID, l, false); err != nil {
			return fmt.Errorf("release stock: %w", err)
		}
	}
	return nil
}

// CommitStock marks the order's units held at the location (every
// location for "") as consumed: they stay out of stock and a later
// ReleaseStock is a no-op.
func (s *InventoryService) CommitStock(ctx context.Context, orderID, locationID string, lines []orderly.OrderLine) error {
	need, err := heldLines(orderID, lines)
	if err != nil {
		return err
	}
	for _, l := range need {
		if err := s.release(ctx, orderID, locationID, l, true); err != nil {
			return fmt.Errorf("commit stock: %w", err)
		}
	}
	return nil
}

// release ends what the order holds of one product at locationID ("" for
// all): given back to stock, or, with commit, consumed.
func (s *InventoryService) release(ctx context.Context, orderID, locationID string, l stockLine, commit bool) error {
	p, err := s.stockOf(ctx, l.productID)
	if orderly.ErrorCode(err) == orderly.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if slices.Contains(p.Reservations, orderID) {
		return s.releaseLegacy(ctx, p, orderID, locationID, l, commit)
	}
	held := p.Holds[orderID]
	ending := map[string]int{}
	for loc, q := range held {
		if locationID == "" || loc == locationID {
			ending[loc] = q
		}
	}
	if len(ending) == 0 {
		return nil // never held here, released or committed
	}
	filter := bson.D{{Key: "_id", Value: l.productID}}
	total := 0
	inc := bson.D{}
	for _, loc := range sortedKeys(ending) {
		filter = append(filter, bson.E{Key: "holds." + orderID + "." + loc, Value: ending[loc]})
		inc = append(inc, bson.E{Key: "stockAt." + loc, Value: ending[loc]})
		total += ending[loc]
	}
	unset := bson.D{}
	if len(ending) == len(held) {
		unset = append(unset, bson.E{Key: "holds." + orderID, Value: ""})
	} else {
		for _, loc := range sortedKeys(ending) {
			unset = append(unset, bson.E{Key: "holds." + orderID + "." + loc, Value: ""})
		}
	}
	update := bson.D{{Key: "$unset", Value: unset}}
	if !commit {
		if err := s.db.announce(ctx, orderly.Change{Kind: orderly.ChangeProduct, ID: p.ID, Version: p.Version + 1}); err != nil {
			return err
		}
		inc = append(inc, bson.E{Key: "stock", Value: total}, bson.E{Key: "version", Value: 1})
		update = append(update, bson.E{Key: "$inc", Value: inc})
	}
	_, err = s.db.coll(colProducts).UpdateOne(ctx, filter, update)
	return err
}

// releaseLegacy ends a reservation made before stock had locations: its
// units, the line's quantity, go back to the first location.
func (s *InventoryService) releaseLegacy(ctx context.Context, p *productDoc, orderID, locationID string, l stockLine, commit bool) error {
	loc := legacyLocationID
	if locationID != "" && locationID != loc {
		return nil
	}
	filter := bson.D{{Key: "_id", Value: l.productID}, {Key: "reservations", Value: orderID}}
	update := bson.D{{Key: "$pull", Value: bson.D{{Key: "reservations", Value: orderID}}}}
	if !commit {
		if err := s.db.announce(ctx, orderly.Change{Kind: orderly.ChangeProduct, ID: p.ID, Version: p.Version + 1}); err != nil {
			return err
		}
		update = append(update, bson.E{Key: "$inc", Value: bson.D{
			{Key: "stock", Value: l.quantity}, {Key: "stockAt." + loc, Value: l.quantity}, {Key: "version", Value: 1},
		}})
	}
	_, err := s.db.coll(colProducts).UpdateOne(ctx, filter, update)
	return err
}

// RestockReturn puts a received return's units back in stock at the
// location ("" for the product's first location), once per return: the
// write is conditional on the return not being among the product's
// restocks, and records it there. A product that left the catalog takes
// nothing back.
func (s *InventoryService) RestockReturn(ctx context.Context, returnID, locationID string, lines []orderly.OrderLine) error {
	need, err := heldLines(returnID, lines)
	if err != nil {
		return err
	}
	for _, l := range need {
		p, err := s.stockOf(ctx, l.productID)
		if orderly.ErrorCode(err) == orderly.ENOTFOUND {
			continue
		} else if err != nil {
			return fmt.Errorf("restock return: %w", err)
		}
		loc := locationID
		if loc == "" {
			loc = firstLocationOf(p)
		}
		if _, err := s.addStock(ctx, p, loc, l.quantity, returnID); err != nil {
			return fmt.Errorf("restock return: %w", err)
		}
	}
	return nil
}

// firstLocationOf returns the first location (by ID) that stocks the
// product, or the legacy location when none does.
func firstLocationOf(p *productDoc) string {
	if ids := sortedKeys(p.StockAt); len(ids) > 0 {
		return ids[0]
	}
	return legacyLocationID
}

// addStock adds units of a product at a location, once per key (the
// product's restocks remember it; "" adds every time). It returns whether
// it added them.
func (s *InventoryService) addStock(ctx context.Context, p *productDoc, locationID string, quantity int, key string) (bool, error) {
	if key != "" && slices.Contains(p.Restocks, key) {
		return false, nil // a retry: taken in already
	}
	if err := s.db.announce(ctx, orderly.Change{Kind: orderly.ChangeProduct, ID: p.ID, Version: p.Version + 1}); err != nil {
		return false, err
	}
	filter := bson.D{{Key: "_id", Value: p.ID}}
	update := bson.D{{Key: "$inc", Value: bson.D{
		{Key: "stockAt." + locationID, Value: quantity}, {Key: "stock", Value: quantity}, {Key: "version", Value: 1},
	}}}
	if key != "" {
		filter = append(filter, bson.E{Key: "restocks", Value: bson.D{{Key: "$ne", Value: key}}})
		update = append(update, bson.E{Key: "$push", Value: bson.D{{Key: "restocks", Value: key}}})
	}
	res, err := s.db.coll(colProducts).UpdateOne(ctx, filter, update)
	if err != nil {
		return false, err
	}
	return res.MatchedCount == 1, nil
}

// planLines turns allocations into what the order is to hold of each
// product, sorted by product ID so that every call visits products in the
// same order.
func planLines(orderID string, allocs []orderly.Allocation) ([]stockLine, error) {
	if orderID == "" {
		return nil, orderly.FieldErrorf(orderly.EINVALID, "orderId", "order ID is required")
	}
	if len(allocs) == 0 {
		return nil, orderly.FieldErrorf(orderly.EINVALID, "allocations", "a reservation needs at least one parcel")
	}
	byProduct := map[string]*stockLine{}
	for i, a := range allocs {
		if a.Location.ID == "" {
			return nil, orderly.FieldErrorf(orderly.EINVALID, fmt.Sprintf("allocations[%d].location", i), "location ID is required")
		}
		if len(a.Lines) == 0 {
			return nil, orderly.FieldErrorf(orderly.EINVALID, fmt.Sprintf("allocations[%d].lines", i), "a parcel needs at least one line")
		}
		for j, l := range a.Lines {
			if err := checkLine(fmt.Sprintf("allocations[%d].lines[%d]", i, j), l); err != nil {
				return nil, err
			}
			sl := byProduct[l.ProductID]
			if sl == nil {
				sl = &stockLine{productID: l.ProductID, name: l.Name, at: map[string]int{}}
				byProduct[l.ProductID] = sl
			}
			sl.quantity += l.Quantity
			sl.at[a.Location.ID] += l.Quantity
		}
	}
	return sortLines(byProduct), nil
}

// heldLines validates lines and sums them per product, sorted by product
// ID: what to release, commit or restock.
func heldLines(id string, lines []orderly.OrderLine) ([]stockLine, error) {
	if id == "" {
		return nil, orderly.FieldErrorf(orderly.EINVALID, "orderId", "order ID is required")
	}
	if len(lines) == 0 {
		return nil, orderly.FieldErrorf(orderly.EINVALID, "lines", "an order needs at least one line")
	}
	byProduct := map[string]*stockLine{}
	for i, l := range lines {
		if err := checkLine(fmt.Sprintf("lines[%d]", i), l); err != nil {
			return nil, err
		}
		sl := byProduct[l.ProductID]
		if sl == nil {
			sl = &stockLine{productID: l.ProductID, name: l.Name}
			byProduct[l.ProductID] = sl
		}
		sl.quantity += l.Quantity
	}
	return sortLines(byProduct), nil
}

func checkLine(field string, l orderly.OrderLine) error {
	if l.ProductID == "" {
		return orderly.FieldErrorf(orderly.EINVALID, field+".productId", "product ID is required")
	}
	if l.Quantity <= 0 {
		return orderly.FieldErrorf(orderly.EINVALID, field+".quantity", "quantity must be positive")
	}
	return nil
}

func sortLines(byProduct map[string]*stockLine) []stockLine {
	out := make([]stockLine, 0, len(byProduct))
	for _, l := range byProduct {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b stockLine) int { return cmp.Compare(a.productID, b.productID) })
	return out
}

// sortedKeys returns a map's keys in order: guards and updates name
// fields in a stable order.
func sortedKeys(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }
