package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/paysim"
)

// colPaysimPayments holds the simulated payment provider's own records. It
// is the provider's side of the books, not Orderly's: it shares the
// database only because the development stack has one.
const colPaysimPayments = "paysim_payments"

// PaysimStore keeps the simulated provider's payments, one document per
// payment, _id = payment ID. It implements paysim.Store.
//
// The payment ID derives from the idempotency key of its first
// authorization, so that authorization is one insert by _id (a duplicate
// is the repeat); every later movement is a version-guarded replace by _id
// that pushes the movement with its key, so it lands once however many
// attempts or workers send it.
type PaysimStore struct {
	db *DB
}

var _ paysim.Store = (*PaysimStore)(nil)

// NewPaysimStore returns a PaysimStore over db.
func NewPaysimStore(db *DB) *PaysimStore { return &PaysimStore{db: db} }

// FindPayment returns ENOTFOUND if there is no such payment.
func (s *PaysimStore) FindPayment(ctx context.Context, id string) (*paysim.Payment, error) {
	var p paysim.Payment
	if err := s.db.coll(colPaysimPayments).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p); err != nil {
		return nil, notFoundOr(err, "paysim: find payment", "payment %q not found", id)
	}
	return &p, nil
}

// CreatePayment inserts p; an existing payment of its ID is returned with
// created=false.
func (s *PaysimStore) CreatePayment(ctx context.Context, p *paysim.Payment) (*paysim.Payment, bool, error) {
	if p.ID == "" || p.Version != 1 {
		return nil, false, orderly.Errorf(orderly.EINVALID, "a new payment needs an ID and version 1")
	}
	_, err := s.db.coll(colPaysimPayments).InsertOne(ctx, p)
	if err == nil {
		return p, true, nil
	}
	if !isDuplicateKey(err) {
		return nil, false, fmt.Errorf("paysim: create payment: %w", err)
	}
	first, err := s.FindPayment(ctx, p.ID)
	if err != nil {
		return nil, false, err
	}
	return first, false, nil
}

// UpdatePayment replaces the payment at version p.Version-1 with p.
func (s *PaysimStore) UpdatePayment(ctx context.Context, p *paysim.Payment) (bool, error) {
	res, err := s.db.coll(colPaysimPayments).ReplaceOne(ctx,
		bson.D{{Key: "_id", Value: p.ID}, {Key: "version", Value: p.Version - 1}}, p)
	if err != nil {
		return false, fmt.Errorf("paysim: update payment: %w", err)
	}
	return res.MatchedCount == 1, nil
}

// FindPaysimPayments returns the provider's payments for a reference (an
// order ID), oldest first: a list for tests and operators that scans the
// collection on the embedded store, never a hot path.
func (s *PaysimStore) FindPaysimPayments(ctx context.Context, reference string) ([]*paysim.Payment, error) {
	release, err := s.db.listSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	cur, err := s.db.coll(colPaysimPayments).Find(ctx, bson.D{{Key: "reference", Value: reference}})
	if err != nil {
		return nil, fmt.Errorf("paysim: find payments: %w", err)
	}
	out := []*paysim.Payment{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("paysim: find payments: %w", err)
	}
	return out, nil
}
