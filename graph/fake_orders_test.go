package graph

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/orderly-shop/orderly"
)

// --- OrderService

func (s *fakeStore) CreateOrder(_ context.Context, o *orderly.Order) (*orderly.Order, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if existing, ok := s.orders[o.ID]; ok {
		return cloneOrder(existing), false, nil
	}
	if o.Status != orderly.StatusReceived || o.Version != 1 {
		return nil, false, orderly.Errorf(orderly.EINVALID, "a new order starts RECEIVED at version 1")
	}
	c := cloneOrder(o)
	s.orders[c.ID] = c
	s.orderSeq[c.ID] = len(s.orderSeq)
	s.wrote()
	s.feed.publish(orderly.Change{Kind: orderly.ChangeOrder, ID: c.ID, CustomerID: c.CustomerID, Version: 1, Order: cloneOrder(c)})
	return cloneOrder(c), true, nil
}

func (s *fakeStore) FindOrderByID(_ context.Context, id string) (*orderly.Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "order not found")
	}
	return cloneOrder(o), nil
}

func (s *fakeStore) FindOrdersByIDs(_ context.Context, ids []string) ([]*orderly.Order, error) {
	s.orderBatches.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*orderly.Order
	for _, id := range ids {
		if o, ok := s.orders[id]; ok {
			out = append(out, cloneOrder(o))
		}
	}
	return out, nil
}

// FindOrders follows the root's rules, as the store does: the filter
// normalized, an e-mail resolved to its customer first, then the orders it
// Matches in the Sort's order.
func (s *fakeStore) FindOrders(_ context.Context, f orderly.OrderFilter) (orderly.Page[*orderly.Order], error) {
	f, err := f.Normalize()
	if err != nil {
		return orderly.Page[*orderly.Order]{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.CustomerEmail != "" {
		id, found := "", false
		for _, c := range s.customers {
			if strings.EqualFold(c.Email, f.CustomerEmail) {
				id, found = c.ID, true
			}
		}
		var ok bool
		if f, ok = f.ForEmailCustomer(id, found); !ok {
			return orderly.Page[*orderly.Order]{}, nil
		}
	}
	var all []*orderly.Order
	for _, o := range s.orders {
		if f.Matches(o) {
			all = append(all, cloneOrder(o))
		}
	}
	slices.SortFunc(all, f.Sort.Compare)
	return paginate(all, f.Page, func(o *orderly.Order) string { return o.ID })
}

// OrdersChangedSince implements orderly.OrderStatsService over the map.
func (s *fakeStore) OrdersChangedSince(_ context.Context, since time.Time, limit int) ([]*orderly.Order, bool, error) {
	s.statsReads.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := orderly.OrderFilter{UpdatedSince: since}
	var out []*orderly.Order
	for _, o := range s.orders {
		if changed.Matches(o) {
			out = append(out, cloneOrder(o))
		}
	}
	slices.SortFunc(out, func(a, b *orderly.Order) int {
		return cmp.Or(b.UpdatedAt.Compare(a.UpdatedAt), cmp.Compare(a.ID, b.ID))
	})
	if len(out) > limit {
		return out[:limit], true, nil
	}
	return out, false, nil
}

// CountOrdersByStatus implements orderly.OrderStatsService with the root's count.
func (s *fakeStore) CountOrdersByStatus(context.Context) (map[orderly.OrderStatus]int, error) {
	s.statsReads.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	return orderly.CountByStatus(slices.Collect(maps.Values(s.orders))), nil
}

func (s *fakeStore) ApplyOrderEvent(_ context.Context, orderID string, e orderly.OrderEvent) (*orderly.Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.applyLocked(orderID, e)
}

func (s *fakeStore) applyLocked(orderID string, e orderly.OrderEvent) (*orderly.Order, error) {
	o, ok := s.orders[orderID]
	if !ok {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "order not found")
	}
	next, applied, err := o.Apply(e, s.tick())
	if err != nil || !applied {
		return cloneOrder(o), err
	}
	s.orders[orderID] = next
	s.wrote()
	s.feed.publish(orderly.Change{Kind: orderly.ChangeOrder, ID: next.ID, CustomerID: next.CustomerID, Version: next.Version, Order: cloneOrder(next)})
	return cloneOrder(next), nil
}

// advance moves an order through statuses, as its workflow would.
func (s *fakeStore) advance(orderID string, statuses ...orderly.OrderStatus) error {
	for _, st := range statuses {
		s.mu.Lock()
		o := s.orders[orderID]
		id := fmt.Sprintf("ev-%d", o.Version+1)
		s.mu.Unlock()
		if _, err := s.ApplyOrderEvent(context.Background(), orderID, orderly.OrderEvent{ID: id, Kind: orderly.EntryStatus, Status: st, Detail: string(st)}); err != nil {
			return err
		}
	}
	return nil
}

func (s *fakeStore) SetOrderRun(_ context.Context, orderID, runID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[orderID]
	if !ok {
		return orderly.Errorf(orderly.ENOTFOUND, "order not found")
	}
	o.RunID = runID
	s.wrote()
	return nil
}

// --- OrderProcessing: the workflow's rules, applied synchronously.

func (s *fakeStore) StartOrder(_ context.Context, o *orderly.Order) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started[o.ID] {
		s.started[o.ID] = true
		s.rewardsOpen[o.CustomerID] = true
		s.wrote()
	}
	return "run-" + o.ID, nil
}

func (s *fakeStore) running(orderID string) (*orderly.Order, error) {
	o, ok := s.orders[orderID]
	if !ok || !s.started[orderID] {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "no workflow for the order")
	}
	if o.Status.IsFinal() {
		return nil, orderly.Errorf(orderly.ECONFLICT, "the order is %s", o.Status)
	}
	return o, nil
}

func (s *fakeStore) CancelOrder(_ context.Context, orderID, reason string) (orderly.ShipmentsChange, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.running(orderID)
	if err != nil {
		return orderly.ShipmentsChange{}, err
	}
	if !o.Status.BeforeDispatch() {
		return orderly.ShipmentsChange{}, orderly.Errorf(orderly.ECONFLICT, "cannot cancel: already dispatched")
	}
	if o.Status == orderly.StatusPaid || o.Status == orderly.StatusShipping {
		if _, err := s.applyLocked(orderID, orderly.OrderEvent{ID: "refund", Kind: orderly.EntryCompensation, Status: orderly.StatusRefunded}); err != nil {
			return orderly.ShipmentsChange{}, err
		}
	}
	_, err = s.applyLocked(orderID, orderly.OrderEvent{ID: "cancel", Kind: orderly.EntryStatus, Status: orderly.StatusCancelled, Detail: reason, FailureReason: reason})
	return orderly.ShipmentsChange{}, err
}

func (s *fakeStore) UpdateShippingAddress(_ context.Context, orderID string, a orderly.Address) (orderly.ShipmentsChange, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.running(orderID)
	if err != nil {
		return orderly.ShipmentsChange{}, err
	}
	if !o.Status.BeforeDispatch() {
		return orderly.ShipmentsChange{}, orderly.Errorf(orderly.ECONFLICT, "cannot change the address: already dispatched")
	}
	_, err = s.applyLocked(orderID, orderly.OrderEvent{ID: fmt.Sprintf("address-%d", o.Version), Kind: orderly.EntryInfo, Address: &a, Detail: "address changed"})
	return orderly.ShipmentsChange{}, err
}

func (s *fakeStore) decide(orderID, event string, to orderly.OrderStatus, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.running(orderID)
	if err != nil {
		return err
	}
	if o.Status != orderly.StatusAwaitingApproval {
		return orderly.Errorf(orderly.ECONFLICT, "the order is not awaiting approval")
	}
	_, err = s.applyLocked(orderID, orderly.OrderEvent{ID: event, Kind: orderly.EntryStatus, Status: to, Detail: reason, FailureReason: reason})
	return err
}

func (s *fakeStore) ApproveOrder(_ context.Context, orderID, _ string) error {
	return s.decide(orderID, "approve", orderly.StatusApproved, "")
}

func (s *fakeStore) RejectOrder(_ context.Context, orderID, _, reason string) error {
	return s.decide(orderID, "reject", orderly.StatusCancelled, reason)
}

func (s *fakeStore) SimulateFailure(_ context.Context, orderID string, f orderly.FailureInjection) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.running(orderID); err != nil {
		return err
	}
	s.pending[orderID] = append(s.pending[orderID], f)
	s.wrote()
	return nil
}

func (s *fakeStore) OrderState(_ context.Context, orderID string) (*orderly.OrderState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.running(orderID)
	if err != nil {
		return nil, err
	}
	return &orderly.OrderState{
		OrderID: orderID, Status: o.Status, ShippingAddress: o.ShippingAddress,
		PendingFailures: slices.Clone(s.pending[orderID]), CanCancel: o.Status.BeforeDispatch(), CanChangeAddress: o.Status.BeforeDispatch(),
	}, nil
}

func (s *fakeStore) CloseRewards(_ context.Context, customerID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.rewardsOpen[customerID] {
		return orderly.Errorf(orderly.ECONFLICT, "no rewards workflow is open")
	}
	s.rewardsOpen[customerID] = false
	s.wrote()
	return nil
}

func (s *fakeStore) RewardsState(_ context.Context, customerID string) (*orderly.RewardsState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.rewards[customerID]
	st := &orderly.RewardsState{CustomerID: customerID, Running: s.rewardsOpen[customerID], Tier: orderly.TierBasic}
	if a != nil {
		st.Points, st.Tier = a.Points, a.Tier
	}
	return st, nil
}

// --- ChangeFeed

// fakeFeed fans changes out in memory, like the real feed: a subscriber
// whose buffer is full is dropped (its channel closes).
type fakeFeed struct {
	mu      sync.Mutex
	next    int
	subs    map[int]chan orderly.Change
	matches map[int]func(orderly.Change) bool
	buffer  int
	muted   bool // publish loses every change, as an overflowing buffer does
}

func newFakeFeed() *fakeFeed {
	return &fakeFeed{subs: map[int]chan orderly.Change{}, matches: map[int]func(orderly.Change) bool{}, buffer: 256}
}

// Subscribe implements orderly.ChangeFeed.
func (f *fakeFeed) Subscribe(ctx context.Context, match func(orderly.Change) bool) <-chan orderly.Change {
	if match == nil {
		match = func(orderly.Change) bool { return true }
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.next
	f.next++
	ch := make(chan orderly.Change, f.buffer)
	f.subs[id] = ch
	f.matches[id] = match
	go func() {
		<-ctx.Done()
		f.mu.Lock()
		defer f.mu.Unlock()
		if c, ok := f.subs[id]; ok {
			delete(f.subs, id)
			delete(f.matches, id)
			close(c)
		}
	}()
	return ch
}

func (f *fakeFeed) publish(c orderly.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.muted {
		return
	}
	for id, ch := range f.subs {
		if !f.matches[id](c) {
			continue
		}
		select {
		case ch <- c:
		default:
			delete(f.subs, id)
			delete(f.matches, id)
			close(ch)
		}
	}
}

// dropAll closes every subscriber's channel, as a feed does to subscribers
// that fell behind.
func (f *fakeFeed) dropAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, ch := range f.subs {
		delete(f.subs, id)
		delete(f.matches, id)
		close(ch)
	}
}

// lose runs write with every change it makes lost, then drops every
// subscriber: what a subscriber whose buffer overflowed goes through.
func (f *fakeFeed) lose(write func()) {
	f.mu.Lock()
	f.muted = true
	f.mu.Unlock()
	write()
	f.mu.Lock()
	f.muted = false
	f.mu.Unlock()
	f.dropAll()
}

func (f *fakeFeed) subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}
