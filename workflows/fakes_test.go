package workflows

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/paysim"
)

// memStore is an in-memory fake of every service the activities use. It
// keeps the contracts that matter to the workflows: ApplyOrderEvent is
// idempotent by event ID and enforces CanTransitionTo; reservations, charges,
// refunds and notifications are idempotent; rewards saves ignore old versions.
type memStore struct {
	mu            sync.Mutex
	orders        map[string]*orderly.Order
	stock         map[string]map[string]int            // productID -> locationID -> units available
	holds         map[string]map[string]map[string]int // orderID -> productID -> locationID -> units held
	committed     map[string]bool                      // orderID
	committedAt   map[string][]string                  // orderID -> locations committed, in order
	restocked     map[string]bool                      // returnID
	payments      map[string]*orderly.Payment
	charges       int // number of distinct charges taken
	notifications map[string]orderly.Notification
	rewards       map[string]orderly.RewardsAccount
	settings      orderly.Settings
	// provider is the simulated payment provider, over payments (its own
	// books), reading the failure rates from settings.
	provider *paysim.Provider
	provided *paysim.MemoryStore
	// providerAhead moves the provider's clock ahead of the real one, to
	// make its holds lapse.
	providerAhead time.Duration
	// failApply, when set, is returned by ApplyOrderEvent for that event ID.
	failApply map[string]error
}

func newMemStore() *memStore {
	m := &memStore{
		orders:        map[string]*orderly.Order{},
		stock:         map[string]map[string]int{},
		holds:         map[string]map[string]map[string]int{},
		committed:     map[string]bool{},
		committedAt:   map[string][]string{},
		restocked:     map[string]bool{},
		payments:      map[string]*orderly.Payment{},
		notifications: map[string]orderly.Notification{},
		rewards:       map[string]orderly.RewardsAccount{},
		settings:      orderly.DefaultSettings(),
		failApply:     map[string]error{},
		provided:      paysim.NewMemoryStore(),
	}
	m.provider = paysim.New(m.provided, paysim.Options{Settings: m, Now: m.providerNow})
	return m
}

// withAuthorizationTTL replaces the provider with one whose holds last ttl
// (0: the default), over the same books.
func (m *memStore) withAuthorizationTTL(ttl time.Duration) {
	p := paysim.New(m.provided, paysim.Options{Settings: m, Now: m.providerNow, AuthorizationTTL: ttl})
	m.mu.Lock()
	defer m.mu.Unlock()
	m.provider = p
}

// liveProvider is the memStore's simulated provider of the moment (a test
// may swap it for one with shorter holds while workers run).
type liveProvider struct{ m *memStore }

func (m *memStore) currentProvider() *paysim.Provider {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.provider
}

func (p liveProvider) Authorize(ctx context.Context, r orderly.AuthorizeRequest) (orderly.PaymentTransaction, error) {
	return p.m.currentProvider().Authorize(ctx, r)
}

func (p liveProvider) Capture(ctx context.Context, r orderly.CaptureRequest) (orderly.PaymentTransaction, error) {
	return p.m.currentProvider().Capture(ctx, r)
}

func (p liveProvider) Void(ctx context.Context, r orderly.VoidRequest) (orderly.PaymentTransaction, error) {
	return p.m.currentProvider().Void(ctx, r)
}

func (p liveProvider) Refund(ctx context.Context, r orderly.RefundRequest) (orderly.PaymentTransaction, error) {
	return p.m.currentProvider().Refund(ctx, r)
}

func (m *memStore) providerNow() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return time.Now().Add(m.providerAhead)
}

// advanceProvider moves the provider's clock ahead by d.
func (m *memStore) advanceProvider(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.providerAhead += d
}

func (m *memStore) activities() *Activities {
	return &Activities{Orders: m, Inventory: m, Payments: m, Provider: liveProvider{m}, Notifications: m, Rewards: m, Settings: m}
}

// providerPayments returns the simulated provider's records of an order.
func (m *memStore) providerPayments(orderID string) []*paysim.Payment {
	var out []*paysim.Payment
	for _, p := range m.provided.Payments() {
		if p.Reference == orderID {
			out = append(out, p)
		}
	}
	return out
}

// --- OrderService ---

func (m *memStore) CreateOrder(_ context.Context, o *orderly.Order) (*orderly.Order, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if prev, ok := m.orders[o.ID]; ok {
		return clone(prev), false, nil
	}
	if o.Status != orderly.StatusReceived || o.Version != 1 {
		return nil, false, orderly.Errorf(orderly.EINVALID, "a new order starts RECEIVED at version 1")
	}
	c := clone(o)
	m.orders[o.ID] = c
	return clone(c), true, nil
}

func (m *memStore) FindOrderByID(_ context.Context, id string) (*orderly.Order, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.orders[id]
	if !ok {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "order %s not found", id)
	}
	return clone(o), nil
}

func (m *memStore) FindOrdersByIDs(context.Context, []string) ([]*orderly.Order, error) {
	panic("not used by the workflows")
}

func (m *memStore) FindOrders(context.Context, orderly.OrderFilter) (orderly.Page[*orderly.Order], error) {
	panic("not used by the workflows")
}

func (m *memStore) ApplyOrderEvent(_ context.Context, orderID string, e orderly.OrderEvent) (*orderly.Order, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failApply[e.ID]; err != nil {
		return nil, err
	}
	o, ok := m.orders[orderID]
	if !ok {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "order %s not found", orderID)
	}
	next, _, err := o.Apply(e, e.At)
	if err != nil {
		return nil, err
	}
	m.orders[orderID] = next
	return clone(next), nil
}

func (m *memStore) SetOrderRun(_ context.Context, orderID, runID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if o, ok := m.orders[orderID]; ok {
		o.RunID = runID
	}
	return nil
}

// --- InventoryService ---

// The fake's locations: every test product is stocked at testLocation
// unless a test stocks it elsewhere (stockAt).
var (
	testLocation  = orderly.Location{ID: "loc_test-east", Name: "Test East", Country: "US"}
	otherLocation = orderly.Location{ID: "loc_test-eu", Name: "Test EU", Country: "NL"}
)

func (m *memStore) Availability(_ context.Context, orderID string, productIDs []string) (orderly.Availability, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	av := orderly.Availability{Locations: []orderly.Location{testLocation, otherLocation}, Units: map[string]map[string]int{}}
	for _, id := range productIDs {
		units := maps.Clone(m.stock[id])
		if units == nil {
			units = map[string]int{}
		}
		for loc, q := range m.holds[orderID][id] {
			units[loc] += q
		}
		av.Units[id] = units
	}
	return av, nil
}

// ReserveStock holds a plan, all or none, once per order (a repeat of the
// same plan is a no-op, another plan replaces the first).
func (m *memStore) ReserveStock(_ context.Context, orderID string, allocs []orderly.Allocation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	want := map[string]map[string]int{}
	for _, a := range allocs {
		for _, l := range a.Lines {
			if want[l.ProductID] == nil {
				want[l.ProductID] = map[string]int{}
			}
			want[l.ProductID][a.Location.ID] += l.Quantity
		}
	}
	held := m.holds[orderID]
	for pid, at := range want {
		for loc, q := range at {
			if m.stock[pid][loc]+held[pid][loc] < q {
				return orderly.Errorf(orderly.EOUTOFSTOCK, "only %d of %s left at %s", m.stock[pid][loc], pid, loc)
			}
		}
	}
	m.releaseLocked(orderID, "")
	for pid, at := range want {
		if m.stock[pid] == nil {
			m.stock[pid] = map[string]int{}
		}
		for loc, q := range at {
			m.stock[pid][loc] -= q
		}
	}
	m.holds[orderID] = want
	return nil
}

func (m *memStore) ReleaseStock(_ context.Context, orderID, locationID string, _ []orderly.OrderLine) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.releaseLocked(orderID, locationID)
	return nil
}

// releaseLocked gives back what the order holds at the location ("" for
// all).
func (m *memStore) releaseLocked(orderID, locationID string) {
	for pid, at := range m.holds[orderID] {
		for loc, q := range at {
			if locationID == "" || loc == locationID {
				m.stock[pid][loc] += q
				delete(at, loc)
			}
		}
	}
}

func (m *memStore) CommitStock(_ context.Context, orderID, locationID string, _ []orderly.OrderLine) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, at := range m.holds[orderID] {
		for loc := range at {
			if locationID == "" || loc == locationID {
				delete(at, loc)
			}
		}
	}
	m.committed[orderID] = true
	if locationID != "" {
		m.committedAt[orderID] = append(m.committedAt[orderID], locationID)
	}
	return nil
}

func (m *memStore) RestockReturn(_ context.Context, returnID, locationID string, lines []orderly.OrderLine) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.restocked[returnID] {
		return nil
	}
	for _, l := range lines {
		if m.stock[l.ProductID] == nil {
			m.stock[l.ProductID] = map[string]int{}
		}
		m.stock[l.ProductID][cmp.Or(locationID, testLocation.ID)] += l.Quantity
	}
	m.restocked[returnID] = true
	return nil
}

// --- PaymentService ---

func (m *memStore) Charge(_ context.Context, p orderly.Payment) (*orderly.Payment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if prev, ok := m.payments[p.ID]; ok {
		c := *prev
		return &c, nil
	}
	c := p
	m.payments[p.ID] = &c
	m.charges++
	out := c
	return &out, nil
}

func (m *memStore) Refund(_ context.Context, id string) (*orderly.Payment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.payments[id]
	if !ok {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "payment %s not found", id)
	}
	if p.Status == orderly.PaymentCharged {
		p.Status = orderly.PaymentRefunded
		now := time.Now().UTC()
		p.RefundedAt = &now
	}
	c := *p
	return &c, nil
}

func (m *memStore) FindPaymentByID(_ context.Context, id string) (*orderly.Payment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.payments[id]
	if !ok {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "payment %s not found", id)
	}
	c := *p
	return &c, nil
}

// --- NotificationService ---

func (m *memStore) Notify(_ context.Context, n orderly.Notification) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.notifications[n.ID]; !ok {
		m.notifications[n.ID] = n
	}
	return nil
}

func (m *memStore) FindNotifications(context.Context, string, orderly.PageRequest) (orderly.Page[*orderly.Notification], error) {
	panic("not used by the workflows")
}

func (m *memStore) MarkNotificationsRead(context.Context, string, []string) error {
	panic("not used by the workflows")
}

// --- RewardsService ---

func (m *memStore) FindRewards(_ context.Context, customerID string) (*orderly.RewardsAccount, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.rewards[customerID]
	if !ok {
		return &orderly.RewardsAccount{CustomerID: customerID, Tier: orderly.TierBasic}, nil
	}
	a.OrderIDs = slices.Clone(a.OrderIDs)
	return &a, nil
}

func (m *memStore) SaveRewards(_ context.Context, a *orderly.RewardsAccount) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if prev, ok := m.rewards[a.CustomerID]; ok && prev.Version >= a.Version {
		return nil
	}
	c := *a
	c.OrderIDs = slices.Clone(a.OrderIDs)
	m.rewards[a.CustomerID] = c
	return nil
}

// --- SettingsService ---

func (m *memStore) FindSettings(context.Context) (*orderly.Settings, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.settings
	s.FailureRates = slices.Clone(s.FailureRates)
	return &s, nil
}

func (m *memStore) SaveSettings(_ context.Context, s *orderly.Settings) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settings = *s
	return nil
}

// --- test helpers ---

func (m *memStore) order(id string) *orderly.Order {
	m.mu.Lock()
	defer m.mu.Unlock()
	return clone(m.orders[id])
}

// stockOf is a product's units available at every location.
func (m *memStore) stockOf(productID string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, q := range m.stock[productID] {
		n += q
	}
	return n
}

// stockAt sets a product's units at a location.
func (m *memStore) stockAt(productID string, loc orderly.Location, units int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stock[productID] == nil {
		m.stock[productID] = map[string]int{}
	}
	m.stock[productID][loc.ID] = units
}

// unitsAt is a product's units available at a location.
func (m *memStore) unitsAt(productID string, loc orderly.Location) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stock[productID][loc.ID]
}

func (m *memStore) payment(id string) *orderly.Payment {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.payments[id]
	if !ok {
		return nil
	}
	c := *p
	return &c
}

func (m *memStore) hasNotification(id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.notifications[id]
	return ok
}

func clone(o *orderly.Order) *orderly.Order {
	if o == nil {
		return nil
	}
	c := *o
	c.Lines = slices.Clone(o.Lines)
	c.Timeline = slices.Clone(o.Timeline)
	c.Shipments = slices.Clone(o.Shipments)
	c.Ledger = slices.Clone(o.Ledger)
	c.Returns = slices.Clone(o.Returns)
	if o.Payment != nil {
		p := *o.Payment
		c.Payment = &p
	}
	return &c
}

// entries lists the timeline entries of a kind.
func entries(o *orderly.Order, kind orderly.EntryKind) []orderly.TimelineEntry {
	var out []orderly.TimelineEntry
	for _, t := range o.Timeline {
		if t.Kind == kind {
			out = append(out, t)
		}
	}
	return out
}

// testOrder places an order in the store (status RECEIVED) with stock for it
// and returns the workflow input. The order is what orderly.NewOrder makes of
// a cart of qty units at unitCents, under the readable ID id.
func testOrder(m *memStore, id string, unitCents int64, qty, stock int) OrderInput {
	p := &orderly.Product{ID: "prd_" + id, SKU: "SKU-" + id, Name: "Widget " + id, Price: orderly.USD(unitCents), Stock: max(stock, qty)}
	o, err := orderly.NewOrder(orderly.NewOrderInput{
		CustomerID: "cus_" + id, IdempotencyKey: "key-" + id,
		ShippingAddress: orderly.Address{Name: "Ada Lovelace", Line1: "1 Main St", City: "Springfield", PostalCode: "12345", Country: "US"},
		Lines:           []orderly.PricedCartLine{{Product: p, Quantity: qty, UnitPrice: p.Price, LineTotal: p.Price.Times(qty)}},
		At:              time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	})
	if err != nil {
		panic(err)
	}
	o.ID, o.WorkflowID = id, orderly.OrderWorkflowIDFor(id)
	m.mu.Lock()
	m.stock[p.ID] = map[string]int{testLocation.ID: stock}
	m.mu.Unlock()
	if _, _, err := m.CreateOrder(context.Background(), o); err != nil {
		panic(err)
	}
	in := OrderInputFor(o)
	in.Shipping = ShippingOptions{TrackingUpdates: 2, TrackingInterval: time.Minute}
	return in
}
