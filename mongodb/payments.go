package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// PaymentService records charges and refunds in the payments collection,
// _id = payment ID. It implements orderly.PaymentService.
//
// The _id is derived from the order (orderly.PaymentIDFor), so the unique _id
// index admits one charge per order: a retried Charge hits a duplicate key and
// returns the stored payment, never a second charge. A refund is a
// conditional update CHARGED -> REFUNDED, so it happens once too.
type PaymentService struct {
	db *DB
}

var _ orderly.PaymentService = (*PaymentService)(nil)

// NewPaymentService returns a PaymentService over db.
func NewPaymentService(db *DB) *PaymentService { return &PaymentService{db: db} }

// Charge records p as CHARGED, once per payment ID: a second call returns the
// first payment unchanged, whatever its own amount.
func (s *PaymentService) Charge(ctx context.Context, p orderly.Payment) (*orderly.Payment, error) {
	switch {
	case p.ID == "":
		return nil, orderly.FieldErrorf(orderly.EINVALID, "id", "payment ID is required")
	case p.OrderID == "":
		return nil, orderly.FieldErrorf(orderly.EINVALID, "orderId", "order ID is required")
	case p.Amount.Amount <= 0:
		return nil, orderly.FieldErrorf(orderly.EINVALID, "amount", "amount must be positive")
	}
	p.Status = orderly.PaymentCharged
	p.ChargedAt = now()
	p.RefundedAt = nil
	_, err := s.db.coll(colPayments).InsertOne(ctx, p)
	if err == nil {
		return &p, nil
	}
	if !isDuplicateKey(err) {
		return nil, fmt.Errorf("charge: %w", err)
	}
	return s.FindPaymentByID(ctx, p.ID)
}

// Refund marks a charged payment REFUNDED; refunding a refunded payment
// returns it unchanged. ENOTFOUND if it was never charged.
func (s *PaymentService) Refund(ctx context.Context, paymentID string) (*orderly.Payment, error) {
	var p orderly.Payment
	err := s.db.coll(colPayments).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: paymentID}, {Key: "status", Value: orderly.PaymentCharged}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: orderly.PaymentRefunded}, {Key: "refundedAt", Value: now()}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	).Decode(&p)
	if err == nil {
		return &p, nil
	}
	if !isNotFound(err) {
		return nil, fmt.Errorf("refund: %w", err)
	}
	// Not CHARGED: already refunded, or never charged (ENOTFOUND).
	return s.FindPaymentByID(ctx, paymentID)
}

// FindPaymentByID returns ENOTFOUND if there is no such payment.
func (s *PaymentService) FindPaymentByID(ctx context.Context, id string) (*orderly.Payment, error) {
	var p orderly.Payment
	if err := s.db.coll(colPayments).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p); err != nil {
		return nil, notFoundOr(err, "find payment", "payment %q not found", id)
	}
	return &p, nil
}
