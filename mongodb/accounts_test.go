package mongodb

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"golang.org/x/crypto/bcrypt"

	"github.com/orderly-shop/orderly"
)

func newAccounts(t testing.TB, opts AccountOptions) (*AccountService, *DB) {
	if opts.BcryptCost == 0 {
		opts.BcryptCost = bcrypt.MinCost
	}
	db := newTestDB(t)
	return NewAccountService(db, opts), db
}

func TestRegisterAndAuthenticate(t *testing.T) {
	ctx := context.Background()
	as, db := newAccounts(t, AccountOptions{})
	c, err := as.Register(ctx, "  Ada@Example.COM ", "correct horse", " Ada Lovelace ", orderly.RoleCustomer)
	if err != nil {
		t.Fatal(err)
	}
	if c.Email != "ada@example.com" || c.Name != "Ada Lovelace" || c.Role != orderly.RoleCustomer || !strings.HasPrefix(c.ID, "cus_") {
		t.Fatalf("customer = %+v", c)
	}
	var stored bson.M
	if err := db.coll(colCustomers).FindOne(ctx, bson.D{{Key: "_id", Value: c.ID}}).Decode(&stored); err != nil {
		t.Fatal(err)
	}
	if h, _ := stored["passwordHash"].(string); !strings.HasPrefix(h, "$2a$") || strings.Contains(h, "correct horse") {
		t.Fatalf("stored hash = %q", h)
	}

	got, err := as.Authenticate(ctx, "ADA@example.com", "correct horse")
	if err != nil || got.ID != c.ID {
		t.Fatalf("authenticate: %+v, %v", got, err)
	}
	_, errPassword := as.Authenticate(ctx, "ada@example.com", "wrong horse")
	_, errEmail := as.Authenticate(ctx, "bob@example.com", "correct horse")
	wantCode(t, errPassword, orderly.EUNAUTHORIZED)
	wantCode(t, errEmail, orderly.EUNAUTHORIZED)
	if errPassword.Error() != errEmail.Error() {
		t.Errorf("wrong password %q and unknown email %q differ", errPassword, errEmail)
	}

	_, err = as.Register(ctx, "ada@EXAMPLE.com", "another password", "Impostor", orderly.RoleCustomer)
	wantCode(t, err, orderly.ECONFLICT)

	found, err := as.FindCustomerByID(ctx, c.ID)
	if err != nil || *found != *c {
		t.Fatalf("find by ID: %+v, %v", found, err)
	}
	_, err = as.FindCustomerByID(ctx, "cus_nope")
	wantCode(t, err, orderly.ENOTFOUND)
	admin, err := as.Register(ctx, "ops@example.com", "operator pass", "Ops", orderly.RoleAdmin)
	if err != nil || !admin.IsAdmin() {
		t.Fatalf("admin: %+v, %v", admin, err)
	}
	many, err := as.FindCustomersByIDs(ctx, []string{c.ID, admin.ID, "cus_nope"})
	if err != nil || len(many) != 2 {
		t.Fatalf("by IDs: %d, %v", len(many), err)
	}
}

func TestRegisterRejectsBadInput(t *testing.T) {
	as, _ := newAccounts(t, AccountOptions{})
	tests := []struct {
		name, email, password, person string
		role                          orderly.Role
		field                         string
	}{
		{"empty email", "", "password1", "A", orderly.RoleCustomer, "email"},
		{"no at", "ada.example.com", "password1", "A", orderly.RoleCustomer, "email"},
		{"no domain dot", "ada@localhost", "password1", "A", orderly.RoleCustomer, "email"},
		{"display name", "Ada <ada@example.com>", "password1", "A", orderly.RoleCustomer, "email"},
		{"two addresses", "a@example.com, b@example.com", "password1", "A", orderly.RoleCustomer, "email"},
		{"too long email", strings.Repeat("a", 250) + "@example.com", "password1", "A", orderly.RoleCustomer, "email"},
		{"short password", "ada@example.com", "short", "A", orderly.RoleCustomer, "password"},
		{"long password", "ada@example.com", strings.Repeat("p", orderly.MaxPasswordLength+1), "A", orderly.RoleCustomer, "password"},
		{"blank name", "ada@example.com", "password1", "   ", orderly.RoleCustomer, "name"},
		{"long name", "ada@example.com", "password1", strings.Repeat("n", orderly.MaxNameLength+1), orderly.RoleCustomer, "name"},
		{"unknown role", "ada@example.com", "password1", "A", "ROOT", "role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := as.Register(context.Background(), tt.email, tt.password, tt.person, tt.role)
			wantCode(t, err, orderly.EINVALID)
			if e, ok := err.(*orderly.Error); !ok || e.Field != tt.field {
				t.Errorf("error %v: want field %q", err, tt.field)
			}
		})
	}
}

// TestAuthenticateUnknownEmailCostsABcrypt checks that an unknown email is
// not answered faster than a wrong password, which would reveal which emails
// have accounts.
func TestAuthenticateUnknownEmailCostsABcrypt(t *testing.T) {
	ctx := context.Background()
	as, _ := newAccounts(t, AccountOptions{BcryptCost: 7})
	if _, err := as.Register(ctx, "ada@example.com", "correct horse", "Ada", orderly.RoleCustomer); err != nil {
		t.Fatal(err)
	}
	_, _ = as.Authenticate(ctx, "nobody@example.com", "x") // builds the dummy hash once
	timeOf := func(email string) time.Duration {
		start := time.Now()
		for range 3 {
			if _, err := as.Authenticate(ctx, email, "wrong horse"); orderly.ErrorCode(err) != orderly.EUNAUTHORIZED {
				t.Fatal(err)
			}
		}
		return time.Since(start)
	}
	wrongPassword, unknownEmail := timeOf("ada@example.com"), timeOf("nobody@example.com")
	if unknownEmail < wrongPassword/2 {
		t.Errorf("unknown email took %v, wrong password %v: the unknown email is distinguishable", unknownEmail, wrongPassword)
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	as, db := newAccounts(t, AccountOptions{})
	c, err := as.Register(ctx, "ada@example.com", "correct horse", "Ada", orderly.RoleCustomer)
	if err != nil {
		t.Fatal(err)
	}
	s, err := as.CreateSession(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(s.Token)
	if err != nil || len(raw) != 32 {
		t.Fatalf("token %q: %d bytes, %v", s.Token, len(raw), err)
	}
	if d := time.Until(s.ExpiresAt); d < DefaultSessionTTL-time.Minute || d > DefaultSessionTTL {
		t.Errorf("session expires in %v, want %v", d, DefaultSessionTTL)
	}
	// Only the hash is stored.
	if n, _ := db.coll(colSessions).CountDocuments(ctx, bson.D{{Key: "_id", Value: s.Token}}); n != 0 {
		t.Fatal("the session is stored under its token")
	}
	if n, _ := db.coll(colSessions).CountDocuments(ctx, bson.D{{Key: "_id", Value: hashToken(s.Token)}}); n != 1 {
		t.Fatal("the session is not stored under its token's hash")
	}

	got, err := as.CustomerBySession(ctx, s.Token)
	if err != nil || got.ID != c.ID {
		t.Fatalf("customer by session: %+v, %v", got, err)
	}
	for _, bad := range []string{"", "nope", s.Token + "x"} {
		_, err := as.CustomerBySession(ctx, bad)
		wantCode(t, err, orderly.EUNAUTHORIZED)
	}

	if err := as.RevokeSession(ctx, s.Token); err != nil {
		t.Fatal(err)
	}
	_, err = as.CustomerBySession(ctx, s.Token)
	wantCode(t, err, orderly.EUNAUTHORIZED)
	if err := as.RevokeSession(ctx, s.Token); err != nil { // logout twice is fine
		t.Fatal(err)
	}
	_, err = as.CreateSession(ctx, "")
	wantCode(t, err, orderly.EINVALID)
}

func TestSessionExpiry(t *testing.T) {
	ctx := context.Background()
	as, db := newAccounts(t, AccountOptions{SessionTTL: 50 * time.Millisecond})
	c, err := as.Register(ctx, "ada@example.com", "correct horse", "Ada", orderly.RoleCustomer)
	if err != nil {
		t.Fatal(err)
	}
	s1, err := as.CreateSession(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := as.CreateSession(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := as.CustomerBySession(ctx, s1.Token); err != nil {
		t.Fatalf("fresh session: %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	_, err = as.CustomerBySession(ctx, s1.Token)
	wantCode(t, err, orderly.EUNAUTHORIZED)
	if n, _ := db.coll(colSessions).CountDocuments(ctx, bson.D{{Key: "_id", Value: hashToken(s1.Token)}}); n != 0 {
		t.Error("an expired session met on use was not deleted")
	}
	n, err := as.DeleteExpiredSessions(ctx)
	if err != nil || n != 1 {
		t.Fatalf("swept %d sessions, %v; want 1 (%s)", n, err, s2.Token[:4])
	}
}
