package paysim

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/orderly-shop/orderly"
)

// Payment is the provider's own record of one payment: what it holds, what
// it captured and refunded, and every call it answered, by idempotency key.
// It is the provider's side of the books, kept apart from Orderly's ledger,
// so that a test can check one against the other.
type Payment struct {
	ID        string                `json:"id" bson:"_id"`
	Reference string                `json:"reference" bson:"reference"`
	Method    orderly.PaymentMethod `json:"method" bson:"method"`
	Currency  string                `json:"currency" bson:"currency"`
	// Held is what may still be captured, until ExpiresAt.
	Held      int64     `json:"held" bson:"held"`
	ExpiresAt time.Time `json:"expiresAt" bson:"expiresAt"`
	Captured  int64     `json:"captured" bson:"captured"`
	Refunded  int64     `json:"refunded" bson:"refunded"`
	// Closed is set by a void: nothing may be captured or re-authorized.
	Closed bool `json:"closed" bson:"closed"`
	// Movements are the answers given, oldest first, one per key.
	Movements []Movement `json:"movements" bson:"movements"`
	// Version grows by one with every movement; the store writes a payment
	// only over the version it was read at.
	Version   int       `json:"version" bson:"version"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt" bson:"updatedAt"`
}

// operation names a call of the provider's API.
type operation string

const (
	opAuthorize operation = "authorize"
	opCapture   operation = "capture"
	opVoid      operation = "void"
	opRefund    operation = "refund"
)

// Movement is one answered call: the money moved, or why not.
type Movement struct {
	Key           string                   `json:"key" bson:"key"`
	Op            operation                `json:"op" bson:"op"`
	TransactionID string                   `json:"transactionId" bson:"transactionId"`
	Kind          orderly.PaymentEntryKind `json:"kind" bson:"kind"`
	// Requested is the amount asked for; Amount what moved.
	Requested     int64                 `json:"requested" bson:"requested"`
	Amount        int64                 `json:"amount" bson:"amount"`
	DeclineReason orderly.DeclineReason `json:"declineReason,omitempty" bson:"declineReason,omitempty"`
	ExpiresAt     time.Time             `json:"expiresAt,omitzero" bson:"expiresAt,omitempty"`
	At            time.Time             `json:"at" bson:"at"`
}

// Movement returns the movement answered under key, if any.
func (p *Payment) Movement(key string) (Movement, bool) {
	i := slices.IndexFunc(p.Movements, func(m Movement) bool { return m.Key == key })
	if i < 0 {
		return Movement{}, false
	}
	return p.Movements[i], true
}

// request is one call, as the rules see it.
type request struct {
	op       operation
	key      string
	amount   int64
	currency string
	// reauthorize marks an authorization of an existing payment.
	reauthorize bool
}

// apply answers req at now: it returns the payment after the call and the
// movement recorded for it (a decline is recorded too, so that a retry gets
// the same answer). p itself is not modified. The rules are a PSP's:
// captures up to what is held and before the hold lapses, refunds up to what
// was captured and not yet refunded, nothing after a void.
func (p *Payment) apply(req request, now time.Time, ttl time.Duration) (*Payment, Movement, error) {
	if req.amount < 0 || req.amount == 0 && req.op != opVoid {
		return nil, Movement{}, orderly.FieldErrorf(orderly.EINVALID, "amount", "the amount must be positive")
	}
	if req.currency != "" && req.currency != p.Currency {
		return nil, Movement{}, orderly.FieldErrorf(orderly.EINVALID, "amount", "payment %s is in %s", p.ID, p.Currency)
	}
	if p.Closed && (req.op == opCapture || req.op == opAuthorize) {
		return nil, Movement{}, orderly.Errorf(orderly.ECONFLICT, "payment %s was voided", p.ID)
	}
	n := *p
	m := Movement{Key: req.key, Op: req.op, TransactionID: transactionID(p.ID, req.key), Requested: req.amount, At: now}
	decline := func(r orderly.DeclineReason) {
		m.Kind, m.DeclineReason = orderly.PaymentDecline, r
	}
	switch req.op {
	case opAuthorize:
		if r, ok := declineFor(p.Method, req.reauthorize); ok {
			decline(r)
			break
		}
		m.Kind, m.Amount, m.ExpiresAt = orderly.PaymentAuthorization, req.amount, now.Add(ttl)
		n.Held, n.ExpiresAt = req.amount, m.ExpiresAt
	case opCapture:
		switch {
		case p.Held > 0 && now.After(p.ExpiresAt):
			decline(orderly.DeclineAuthorizationExpired)
		case req.amount > p.Held:
			decline(orderly.DeclineAmountNotAvailable)
		default:
			m.Kind, m.Amount = orderly.PaymentCapture, req.amount
			n.Held -= req.amount
			n.Captured += req.amount
		}
	case opVoid:
		m.Kind, m.Amount = orderly.PaymentVoid, p.Held
		n.Held, n.Closed = 0, true
	case opRefund:
		if req.amount > p.Captured-p.Refunded {
			decline(orderly.DeclineAmountNotAvailable)
			break
		}
		m.Kind, m.Amount = orderly.PaymentRefund, req.amount
		n.Refunded += req.amount
	}
	n.Movements = append(slices.Clip(p.Movements), m)
	n.Version = p.Version + 1
	n.UpdatedAt = now
	return &n, m, nil
}

// replay answers a call whose key the payment has seen: the first answer
// again, or ECONFLICT when the key was used for another request.
func (p *Payment) replay(req request) (Movement, bool, error) {
	m, ok := p.Movement(req.key)
	if !ok {
		return Movement{}, false, nil
	}
	if m.Op != req.op || m.Requested != req.amount {
		return Movement{}, true, orderly.Errorf(orderly.ECONFLICT,
			"idempotency key %s was used for another request (%s of %d)", req.key, m.Op, m.Requested)
	}
	return m, true, nil
}

// transaction turns a movement into the API's answer: a transaction, or a
// *orderly.DeclineError.
func (p *Payment) transaction(m Movement) (orderly.PaymentTransaction, error) {
	if m.Kind == orderly.PaymentDecline {
		return orderly.PaymentTransaction{}, orderly.Declined(m.DeclineReason, p.ID, m.TransactionID)
	}
	return orderly.PaymentTransaction{
		ID: m.TransactionID, PaymentID: p.ID, Kind: m.Kind,
		Amount: orderly.Money{Amount: m.Amount, Currency: p.Currency}, ExpiresAt: m.ExpiresAt, At: m.At,
	}, nil
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// PaymentIDFor is the ID of the payment that an authorization under key
// creates: derived from the key, so a repeated first authorization finds
// the payment it made instead of making another.
func PaymentIDFor(key string) string { return "pi_" + digest(key) }

// transactionID derives a movement's transaction ID from its payment and key.
func transactionID(paymentID, key string) string { return "txn_" + digest(paymentID+"\x00"+key) }

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return strings.ToLower(idEncoding.EncodeToString(sum[:10]))
}

// String words a payment for logs.
func (p *Payment) String() string {
	return fmt.Sprintf("%s held %d captured %d refunded %d (%d movements)", p.ID, p.Held, p.Captured, p.Refunded, len(p.Movements))
}
