package mongodb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/crypto/bcrypt"

	"github.com/orderly-shop/orderly"
)

// Account defaults and limits.
const (
	// DefaultBcryptCost is the work factor of stored password hashes.
	DefaultBcryptCost = 12
	// DefaultSessionTTL is how long a session lives.
	DefaultSessionTTL = 7 * 24 * time.Hour

	tokenBytes = 32
)

// AccountOptions tune an AccountService. Zero fields take the defaults.
type AccountOptions struct {
	// BcryptCost is the bcrypt work factor; tests lower it to bcrypt.MinCost.
	BcryptCost int
	// SessionTTL is how long a session lives.
	SessionTTL time.Duration
}

// customerDoc is a customer as stored, with the password hash that never
// leaves this package.
type customerDoc struct {
	orderly.Customer `bson:",inline"`
	PasswordHash     string `bson:"passwordHash"`
}

// customerProjection keeps password hashes out of every read that does not
// check a password.
func customerProjection() bson.D { return bson.D{{Key: "passwordHash", Value: 0}} }

// sessionDoc is a session as stored: keyed by the SHA-256 of the token, so the
// _id index is the token lookup, and a leaked database holds no usable token.
type sessionDoc struct {
	TokenHash  string    `bson:"_id"`
	CustomerID string    `bson:"customerId"`
	CreatedAt  time.Time `bson:"createdAt"`
	ExpiresAt  time.Time `bson:"expiresAt"`
}

// AccountService registers and authenticates customers and keeps their
// sessions. It implements orderly.AccountService.
//
// Passwords are hashed with bcrypt. Session tokens are 32 random bytes,
// base64url-encoded, shown to the client once; the store keeps only their
// SHA-256. Expired sessions are rejected on use, deleted when met, and swept
// by DeleteExpiredSessions (the embedded store has no TTL indexes).
type AccountService struct {
	db   *DB
	cost int
	ttl  time.Duration

	// dummyHash is compared against when the email is unknown, so that a
	// wrong email costs the same time as a wrong password.
	dummyOnce sync.Once
	dummyHash []byte
}

var _ orderly.AccountService = (*AccountService)(nil)

// NewAccountService returns an AccountService over db.
func NewAccountService(db *DB, opts AccountOptions) *AccountService {
	if opts.BcryptCost == 0 {
		opts.BcryptCost = DefaultBcryptCost
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = DefaultSessionTTL
	}
	return &AccountService{db: db, cost: opts.BcryptCost, ttl: opts.SessionTTL}
}

// Register creates a customer with a hashed password. ECONFLICT if the email
// is taken, EINVALID for a bad email, name, password or role.
func (s *AccountService) Register(ctx context.Context, email, password, name string, role orderly.Role) (*orderly.Customer, error) {
	email, err := orderly.NormalizeEmail("email", email)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if err := orderly.ValidateCustomerName("name", name); err != nil {
		return nil, err
	}
	if role != orderly.RoleCustomer && role != orderly.RoleAdmin {
		return nil, orderly.FieldErrorf(orderly.EINVALID, "role", "unknown role %q", role)
	}
	if err := orderly.ValidatePassword("password", password); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return nil, fmt.Errorf("register: hash password: %w", err)
	}
	c := orderly.Customer{ID: orderly.NewID(orderly.PrefixCustomer), Email: email, Name: name, Role: role, CreatedAt: now()}
	_, err = s.db.coll(colCustomers).InsertOne(ctx, customerDoc{Customer: c, PasswordHash: string(hash)})
	if isDuplicateKey(err) {
		return nil, orderly.FieldErrorf(orderly.ECONFLICT, "email", "an account with this email already exists")
	}
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	return &c, nil
}

// Authenticate returns the customer whose email and password match. Every
// mismatch, unknown email included, returns the same EUNAUTHORIZED after the
// same bcrypt work.
func (s *AccountService) Authenticate(ctx context.Context, email, password string) (*orderly.Customer, error) {
	denied := orderly.Errorf(orderly.EUNAUTHORIZED, "wrong email or password")
	var doc customerDoc
	err := s.db.coll(colCustomers).FindOne(ctx, bson.D{{Key: "email", Value: strings.ToLower(strings.TrimSpace(email))}}).Decode(&doc)
	if isNotFound(err) {
		_ = bcrypt.CompareHashAndPassword(s.dummy(), []byte(password))
		return nil, denied
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(doc.PasswordHash), []byte(password)) != nil {
		return nil, denied
	}
	return &doc.Customer, nil
}

func (s *AccountService) dummy() []byte {
	s.dummyOnce.Do(func() {
		// A hash of random bytes at the configured cost: nothing matches it.
		pw := make([]byte, 16)
		_, _ = rand.Read(pw)
		s.dummyHash, _ = bcrypt.GenerateFromPassword(pw, s.cost)
	})
	return s.dummyHash
}

// FindCustomerByID returns ENOTFOUND if there is no such customer.
func (s *AccountService) FindCustomerByID(ctx context.Context, id string) (*orderly.Customer, error) {
	var c orderly.Customer
	err := s.db.coll(colCustomers).FindOne(ctx, bson.D{{Key: "_id", Value: id}},
		options.FindOne().SetProjection(customerProjection())).Decode(&c)
	if err != nil {
		return nil, notFoundOr(err, "find customer", "customer %q not found", id)
	}
	return &c, nil
}

// FindCustomersByIDs returns the customers found, in no particular order, in
// one query; unknown IDs are skipped.
func (s *AccountService) FindCustomersByIDs(ctx context.Context, ids []string) ([]*orderly.Customer, error) {
	customers := []*orderly.Customer{}
	if len(ids) == 0 {
		return customers, nil
	}
	cur, err := s.db.coll(colCustomers).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}},
		options.Find().SetProjection(customerProjection()))
	if err != nil {
		return nil, fmt.Errorf("find customers: %w", err)
	}
	if err := cur.All(ctx, &customers); err != nil {
		return nil, fmt.Errorf("find customers: %w", err)
	}
	return customers, nil
}

// CreateSession starts a session for the customer and returns it with its
// token, the only time the token is available.
func (s *AccountService) CreateSession(ctx context.Context, customerID string) (*orderly.Session, error) {
	if customerID == "" {
		return nil, orderly.FieldErrorf(orderly.EINVALID, "customerId", "customer ID is required")
	}
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	t := now()
	doc := sessionDoc{TokenHash: hashToken(token), CustomerID: customerID, CreatedAt: t, ExpiresAt: t.Add(s.ttl)}
	if _, err := s.db.coll(colSessions).InsertOne(ctx, doc); err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	return &orderly.Session{Token: token, CustomerID: customerID, ExpiresAt: doc.ExpiresAt}, nil
}

// CustomerBySession returns the customer of a live session, or EUNAUTHORIZED
// for an unknown, revoked or expired token, or a deleted customer.
func (s *AccountService) CustomerBySession(ctx context.Context, token string) (*orderly.Customer, error) {
	denied := orderly.Errorf(orderly.EUNAUTHORIZED, "session expired or unknown; sign in again")
	if token == "" {
		return nil, denied
	}
	var doc sessionDoc
	err := s.db.coll(colSessions).FindOne(ctx, bson.D{{Key: "_id", Value: hashToken(token)}}).Decode(&doc)
	if isNotFound(err) {
		return nil, denied
	}
	if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	if !time.Now().Before(doc.ExpiresAt) {
		if _, err := s.db.coll(colSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: doc.TokenHash}}); err != nil {
			s.db.logger.WarnContext(ctx, "delete expired session", "err", err)
		}
		return nil, denied
	}
	c, err := s.FindCustomerByID(ctx, doc.CustomerID)
	if orderly.ErrorCode(err) == orderly.ENOTFOUND {
		return nil, denied
	}
	return c, err
}

// RevokeSession ends a session by deleting it; an unknown token is not an
// error, so logout is idempotent.
func (s *AccountService) RevokeSession(ctx context.Context, token string) error {
	if _, err := s.db.coll(colSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: hashToken(token)}}); err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their expiry and returns how
// many; the server calls it periodically in place of a TTL index.
func (s *AccountService) DeleteExpiredSessions(ctx context.Context) (int, error) {
	res, err := s.db.coll(colSessions).DeleteMany(ctx, bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lte", Value: now()}}}})
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return int(res.DeletedCount), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
