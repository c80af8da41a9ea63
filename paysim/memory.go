package paysim

import (
	"context"
	"slices"
	"sync"

	"github.com/orderly-shop/orderly"
)

// MemoryStore keeps payments in memory: for tests, and for running the
// simulator without a database. It is safe for concurrent use.
type MemoryStore struct {
	mu       sync.Mutex
	payments map[string]*Payment
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{payments: map[string]*Payment{}} }

// FindPayment returns a copy of the payment.
func (s *MemoryStore) FindPayment(_ context.Context, id string) (*Payment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[id]
	if !ok {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "payment %q not found", id)
	}
	return clonePayment(p), nil
}

// CreatePayment stores p unless its ID is taken.
func (s *MemoryStore) CreatePayment(_ context.Context, p *Payment) (*Payment, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.payments[p.ID]; ok {
		return clonePayment(prev), false, nil
	}
	s.payments[p.ID] = clonePayment(p)
	return clonePayment(p), true, nil
}

// UpdatePayment stores p over version p.Version-1.
func (s *MemoryStore) UpdatePayment(_ context.Context, p *Payment) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev, ok := s.payments[p.ID]
	if !ok || prev.Version != p.Version-1 {
		return false, nil
	}
	s.payments[p.ID] = clonePayment(p)
	return true, nil
}

// Payments returns a copy of every payment, for tests to read the
// provider's side of the books.
func (s *MemoryStore) Payments() []*Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Payment, 0, len(s.payments))
	for _, p := range s.payments {
		out = append(out, clonePayment(p))
	}
	slices.SortFunc(out, func(a, b *Payment) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out
}

func clonePayment(p *Payment) *Payment {
	c := *p
	c.Movements = slices.Clone(p.Movements)
	return &c
}
