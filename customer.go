package orderly

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role says what a signed-in user may do.
type Role string

// Roles.
const (
	// RoleCustomer shops: its own cart, orders, rewards and notifications only.
	RoleCustomer Role = "CUSTOMER"
	// RoleAdmin operates: approvals, failure injection, every order.
	RoleAdmin Role = "ADMIN"
)

// Customer is an account: a shopper or an operator.
type Customer struct {
	ID        string    `json:"id" bson:"_id"`
	Email     string    `json:"email" bson:"email"`
	Name      string    `json:"name" bson:"name"`
	Role      Role      `json:"role" bson:"role"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
}

// IsAdmin reports whether the customer is an operator.
func (c *Customer) IsAdmin() bool { return c != nil && c.Role == RoleAdmin }

// Account rules.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 72 // bcrypt's limit
	MaxEmailLength    = 254
	MaxNameLength     = 100
)

// NormalizeEmail lower-cases and validates an address for register and
// login. Lower-casing the local part is not RFC-exact, but it is what users
// expect of a login.
func NormalizeEmail(field, email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if err := ValidateText(field, email, 1, MaxEmailLength); err != nil {
		return "", err
	}
	invalid := FieldErrorf(EINVALID, field, "enter a valid email address")
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return "", invalid
	}
	return email, nil
}

// ValidateCustomerName checks a display name, already trimmed.
func ValidateCustomerName(field, name string) error {
	return ValidateText(field, name, 1, MaxNameLength)
}

// ValidatePassword checks a new password's length (bcrypt reads no further
// than MaxPasswordLength bytes).
func ValidatePassword(field, pw string) error {
	if err := ValidateText(field, pw, 0, 0); err != nil {
		return err
	}
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return FieldErrorf(EINVALID, field, "password must be at least %d characters", MinPasswordLength)
	case len(pw) > MaxPasswordLength:
		return FieldErrorf(EINVALID, field, "password must be at most %d bytes", MaxPasswordLength)
	}
	return nil
}

// Session is a signed-in session. The token is shown once, at login; the store
// keeps only its hash, so a leaked database does not leak sessions.
type Session struct {
	// Token is set only on the session returned by CreateSession.
	Token      string
	CustomerID string
	ExpiresAt  time.Time
}

// AccountService registers and authenticates customers and keeps sessions.
type AccountService interface {
	// Register creates a customer with a hashed password. ECONFLICT if the
	// email is taken, EINVALID for a bad email, name or password.
	Register(ctx context.Context, email, password, name string, role Role) (*Customer, error)
	// Authenticate returns the customer whose email and password match, or
	// EUNAUTHORIZED (the same error whether the email or password is wrong).
	Authenticate(ctx context.Context, email, password string) (*Customer, error)
	FindCustomerByID(ctx context.Context, id string) (*Customer, error)
	FindCustomersByIDs(ctx context.Context, ids []string) ([]*Customer, error)
	// CreateSession starts a session for the customer.
	CreateSession(ctx context.Context, customerID string) (*Session, error)
	// CustomerBySession returns the customer of a live session, or
	// EUNAUTHORIZED for an unknown, revoked or expired token.
	CustomerBySession(ctx context.Context, token string) (*Customer, error)
	// RevokeSession ends a session; revoking an unknown token is not an error.
	RevokeSession(ctx context.Context, token string) error
}

type customerContextKey struct{}

// NewContextWithCustomer returns a context that carries the signed-in customer.
func NewContextWithCustomer(ctx context.Context, c *Customer) context.Context {
	return context.WithValue(ctx, customerContextKey{}, c)
}

// CustomerFromContext returns the signed-in customer, or nil for anonymous.
func CustomerFromContext(ctx context.Context) *Customer {
	c, _ := ctx.Value(customerContextKey{}).(*Customer)
	return c
}
