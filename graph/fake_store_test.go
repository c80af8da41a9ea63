package graph

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orderly-shop/orderly"
)

// fakeStore is an in-memory implementation of every root service interface
// with the semantics the interfaces document (validation, ownership,
// idempotency, versions, transitions), so resolver tests exercise real
// behaviour rather than canned answers. writes counts every change, so a
// test can prove that a rejected request wrote nothing.
type fakeStore struct {
	mu            sync.Mutex
	products      map[string]*orderly.Product
	customers     map[string]*orderly.Customer
	passwords     map[string]string // customer ID -> password
	sessions      map[string]string // token -> customer ID
	carts         map[string]orderly.Cart
	orders        map[string]*orderly.Order
	orderSeq      map[string]int // order ID -> creation sequence, for newest-first
	rewards       map[string]*orderly.RewardsAccount
	rewardsOpen   map[string]bool
	notifications map[string]*orderly.Notification
	settings      *orderly.Settings
	pending       map[string][]orderly.FailureInjection
	started       map[string]bool

	writes atomic.Int64
	// Batched reads, counted to prove the dataloaders batch.
	productBatches, customerBatches, orderBatches atomic.Int64
	// statsReads counts the dashboard's reads, to prove it is kept.
	statsReads atomic.Int64
	feed       *fakeFeed
	now        time.Time
}

func newFakeStore() *fakeStore {
	s := &fakeStore{
		products: map[string]*orderly.Product{}, customers: map[string]*orderly.Customer{},
		passwords: map[string]string{}, sessions: map[string]string{}, carts: map[string]orderly.Cart{},
		orders: map[string]*orderly.Order{}, orderSeq: map[string]int{}, rewards: map[string]*orderly.RewardsAccount{},
		rewardsOpen: map[string]bool{}, notifications: map[string]*orderly.Notification{},
		pending: map[string][]orderly.FailureInjection{}, started: map[string]bool{},
		feed: newFakeFeed(), now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	return s
}

func (s *fakeStore) wrote() { s.writes.Add(1) }

// clock reads the fake clock.
func (s *fakeStore) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

// tick advances the fake clock; callers hold s.mu.
func (s *fakeStore) tick() time.Time {
	s.now = s.now.Add(time.Second)
	return s.now
}

func clone[T any](v *T) *T {
	c := *v
	return &c
}

func cloneOrder(o *orderly.Order) *orderly.Order {
	c := *o
	c.Lines = slices.Clone(o.Lines)
	c.Timeline = slices.Clone(o.Timeline)
	c.Shipments = slices.Clone(o.Shipments)
	c.Ledger = slices.Clone(o.Ledger)
	c.Returns = slices.Clone(o.Returns)
	if o.Payment != nil {
		c.Payment = clone(o.Payment)
	}
	return &c
}

// --- ProductService

func (s *fakeStore) FindProductByID(_ context.Context, id string) (*orderly.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[id]
	if !ok {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "product not found")
	}
	return clone(p), nil
}

func (s *fakeStore) FindProductsByIDs(_ context.Context, ids []string) ([]*orderly.Product, error) {
	s.productBatches.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*orderly.Product
	for _, id := range ids {
		if p, ok := s.products[id]; ok {
			out = append(out, clone(p))
		}
	}
	return out, nil
}

func (s *fakeStore) FindProducts(_ context.Context, f orderly.ProductFilter) (orderly.Page[*orderly.Product], error) {
	if err := f.Validate(); err != nil {
		return orderly.Page[*orderly.Product]{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*orderly.Product
	for _, p := range s.products {
		if f.Matches(p) {
			all = append(all, clone(p))
		}
	}
	slices.SortFunc(all, orderly.CompareProducts)
	return paginate(all, f.Page, func(p *orderly.Product) string { return p.ID })
}

func (s *fakeStore) Categories(context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var cats []string
	for _, p := range s.products {
		if !slices.Contains(cats, p.Category) {
			cats = append(cats, p.Category)
		}
	}
	slices.Sort(cats)
	return cats, nil
}

// paginate cuts a sorted list after the item whose key is the cursor.
func paginate[T any](all []T, p orderly.PageRequest, key func(T) string) (orderly.Page[T], error) {
	start := 0
	if p.After != "" {
		i := slices.IndexFunc(all, func(v T) bool { return key(v) == p.After })
		if i < 0 {
			return orderly.Page[T]{}, orderly.FieldErrorf(orderly.EINVALID, "after", "after is not a valid cursor")
		}
		start = i + 1
	}
	end := min(start+p.Size(), len(all))
	page := orderly.Page[T]{Items: all[start:end], HasNextPage: end < len(all), TotalCount: len(all)}
	for _, v := range page.Items {
		page.Cursors = append(page.Cursors, key(v))
	}
	return page, nil
}

// --- CartService: the root package's cart rules over a map.

func (s *fakeStore) priced(customerID string) *orderly.PricedCart {
	return orderly.PriceCart(s.carts[customerID], s.products)
}

func (s *fakeStore) FindCart(_ context.Context, customerID string) (*orderly.PricedCart, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.priced(customerID), nil
}

// change applies a cart rule and stores the result one version up.
func (s *fakeStore) change(customerID string, rule func(orderly.Cart) (orderly.Cart, error)) (*orderly.PricedCart, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.carts[customerID]
	c.CustomerID = customerID
	next, err := rule(c)
	if err != nil {
		return nil, err
	}
	next.Version, next.UpdatedAt = c.Version+1, s.tick()
	s.carts[customerID] = next
	s.wrote()
	return s.priced(customerID), nil
}

func (s *fakeStore) product(productID string) (*orderly.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[productID]
	if !ok {
		return nil, orderly.FieldErrorf(orderly.ENOTFOUND, "productId", "product not found")
	}
	return clone(p), nil
}

func (s *fakeStore) AddToCart(_ context.Context, customerID, productID string, quantity int) (*orderly.PricedCart, error) {
	p, err := s.product(productID)
	if err != nil {
		return nil, err
	}
	return s.change(customerID, func(c orderly.Cart) (orderly.Cart, error) { return c.AddLine(p, quantity) })
}

func (s *fakeStore) UpdateCartLine(_ context.Context, customerID, productID string, quantity int) (*orderly.PricedCart, error) {
	p, err := s.product(productID)
	if err != nil {
		return nil, err
	}
	return s.change(customerID, func(c orderly.Cart) (orderly.Cart, error) { return c.SetLine(p, quantity) })
}

func (s *fakeStore) RemoveCartLine(_ context.Context, customerID, productID string) (*orderly.PricedCart, error) {
	return s.change(customerID, func(c orderly.Cart) (orderly.Cart, error) { return c.RemoveLine(productID) })
}

func (s *fakeStore) ClearCart(_ context.Context, customerID string) (*orderly.PricedCart, error) {
	return s.change(customerID, func(c orderly.Cart) (orderly.Cart, error) {
		c.Lines = nil
		return c, nil
	})
}

func (s *fakeStore) ClaimCart(_ context.Context, customerID string, version int, o *orderly.Order) error {
	_, err := s.change(customerID, func(c orderly.Cart) (orderly.Cart, error) { return c.Claim(version, o, s.now) })
	return err
}

func (s *fakeStore) SettleCheckout(_ context.Context, customerID, orderID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if settled, ok := s.carts[customerID].Settled(orderID); ok {
		settled.Version++
		s.carts[customerID] = settled
		s.wrote()
	}
	return nil
}

func (s *fakeStore) PendingCheckouts(_ context.Context, before time.Time, limit int) ([]*orderly.Cart, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*orderly.Cart
	for _, c := range s.carts {
		if co := c.Checkout; co != nil && co.Pending && co.At.Before(before) && len(out) < limit {
			out = append(out, &c)
		}
	}
	return out, nil
}

// --- AccountService

func (s *fakeStore) Register(_ context.Context, email, password, name string, role orderly.Role) (*orderly.Customer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !strings.Contains(email, "@") {
		return nil, orderly.FieldErrorf(orderly.EINVALID, "email", "bad email")
	}
	if len(password) < orderly.MinPasswordLength || len(password) > orderly.MaxPasswordLength {
		return nil, orderly.FieldErrorf(orderly.EINVALID, "password", "bad password")
	}
	for _, c := range s.customers {
		if strings.EqualFold(c.Email, email) {
			return nil, orderly.FieldErrorf(orderly.ECONFLICT, "email", "the email is taken")
		}
	}
	c := &orderly.Customer{ID: orderly.NewID(orderly.PrefixCustomer), Email: email, Name: name, Role: role, CreatedAt: s.tick()}
	s.customers[c.ID] = c
	s.passwords[c.ID] = password
	s.wrote()
	return clone(c), nil
}

func (s *fakeStore) Authenticate(_ context.Context, email, password string) (*orderly.Customer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.customers {
		if strings.EqualFold(c.Email, email) && s.passwords[c.ID] == password {
			return clone(c), nil
		}
	}
	return nil, orderly.Errorf(orderly.EUNAUTHORIZED, "wrong email or password")
}

func (s *fakeStore) FindCustomerByID(_ context.Context, id string) (*orderly.Customer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.customers[id]
	if !ok {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "customer not found")
	}
	return clone(c), nil
}

func (s *fakeStore) FindCustomersByIDs(_ context.Context, ids []string) ([]*orderly.Customer, error) {
	s.customerBatches.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*orderly.Customer
	for _, id := range ids {
		if c, ok := s.customers[id]; ok {
			out = append(out, clone(c))
		}
	}
	return out, nil
}

func (s *fakeStore) CreateSession(_ context.Context, customerID string) (*orderly.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	s.sessions[token] = customerID
	s.wrote()
	return &orderly.Session{Token: token, CustomerID: customerID, ExpiresAt: s.now.Add(24 * time.Hour)}, nil
}

func (s *fakeStore) CustomerBySession(_ context.Context, token string) (*orderly.Customer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.sessions[token]
	if !ok {
		return nil, orderly.Errorf(orderly.EUNAUTHORIZED, "the session is not valid")
	}
	return clone(s.customers[id]), nil
}

func (s *fakeStore) RevokeSession(_ context.Context, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, token)
	s.wrote()
	return nil
}

// --- RewardsService

func (s *fakeStore) FindRewards(_ context.Context, customerID string) (*orderly.RewardsAccount, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.rewards[customerID]; ok {
		return clone(a), nil
	}
	return &orderly.RewardsAccount{CustomerID: customerID, Tier: orderly.TierBasic}, nil
}

func (s *fakeStore) SaveRewards(_ context.Context, a *orderly.RewardsAccount) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.rewards[a.CustomerID]; ok && cur.Version >= a.Version {
		return nil
	}
	s.rewards[a.CustomerID] = clone(a)
	s.wrote()
	s.feed.publish(orderly.Change{Kind: orderly.ChangeRewards, ID: a.CustomerID, CustomerID: a.CustomerID, Version: a.Version, Rewards: clone(a)})
	return nil
}

// --- NotificationService

func (s *fakeStore) Notify(_ context.Context, n orderly.Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.notifications[n.ID]; ok {
		return nil
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = s.tick()
	}
	s.notifications[n.ID] = &n
	s.wrote()
	return nil
}

func (s *fakeStore) FindNotifications(_ context.Context, customerID string, page orderly.PageRequest) (orderly.Page[*orderly.Notification], error) {
	if err := page.Validate(); err != nil {
		return orderly.Page[*orderly.Notification]{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*orderly.Notification
	for _, n := range s.notifications {
		if n.CustomerID == customerID {
			all = append(all, clone(n))
		}
	}
	slices.SortFunc(all, func(a, b *orderly.Notification) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return paginate(all, page, func(n *orderly.Notification) string { return n.ID })
}

func (s *fakeStore) MarkNotificationsRead(_ context.Context, customerID string, ids []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if n, ok := s.notifications[id]; ok && n.CustomerID == customerID {
			n.Read = true
			s.wrote()
		}
	}
	return nil
}

// --- SettingsService

func (s *fakeStore) FindSettings(context.Context) (*orderly.Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.settings == nil {
		d := orderly.DefaultSettings()
		return &d, nil
	}
	c := *s.settings
	c.FailureRates = slices.Clone(s.settings.FailureRates)
	return &c, nil
}

func (s *fakeStore) SaveSettings(_ context.Context, st *orderly.Settings) error {
	if err := st.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := *st
	c.FailureRates = slices.Clone(st.FailureRates)
	s.settings = &c
	s.wrote()
	return nil
}

// seed fills the catalog with n products in two categories.
func (s *fakeStore) seed(n int) []*orderly.Product {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*orderly.Product
	for i := range n {
		cat := "books"
		if i%2 == 1 {
			cat = "games"
		}
		p := &orderly.Product{
			ID: orderly.NewID(orderly.PrefixProduct), SKU: "SKU-" + strconv.Itoa(i), Name: "Product " + strconv.Itoa(100+i),
			Description: "A fine thing", Category: cat, Price: orderly.USD(int64(1000 + 100*i)), ImageURL: "/img/" + strconv.Itoa(i),
			Stock: 10,
		}
		s.products[p.ID] = p
		out = append(out, clone(p))
	}
	return out
}
