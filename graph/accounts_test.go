package graph

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

const (
	registerMutation = `mutation($input: RegisterInput!) { register(input: $input) {
	  token expiresAt customer { id email name role } errors { code message field } } }`
	loginMutation = `mutation($input: LoginInput!) { login(input: $input) {
	  token expiresAt customer { id email role } errors { code message field } } }`
)

type sessionPayload struct {
	Token    *string
	Customer *struct{ ID, Email, Name, Role string }
}

func TestRegister(t *testing.T) {
	f := newFixture(t)
	in := func(email, password, name string) map[string]any {
		return map[string]any{"input": map[string]any{"email": email, "password": password, "name": name}}
	}
	var p sessionPayload
	if errs := f.mutate("", registerMutation, "register", in("carol@example.com", "long enough", "Carol"), &p); len(errs) > 0 {
		t.Fatalf("register: %+v", errs)
	}
	if p.Token == nil || p.Customer.Role != "CUSTOMER" || p.Customer.Email != "carol@example.com" {
		t.Fatalf("register payload: %+v", p)
	}
	var me struct{ Me *struct{ ID string } }
	f.ok(*p.Token, `{ me { id } }`, nil, &me)
	if me.Me == nil || me.Me.ID != p.Customer.ID {
		t.Errorf("me with the new token: %+v", me)
	}

	writes := f.store.writes.Load()
	for _, tc := range []struct {
		name, email, password, userName, code, field string
	}{
		{"taken email", "carol@example.com", "long enough", "C", "CONFLICT", "input.email"},
		{"bad email", "not-an-email", "long enough", "C", "INVALID", "input.email"},
		{"short password", "d@example.com", "short", "D", "INVALID", "input.password"},
		{"long password", "d@example.com", strings.Repeat("x", 73), "D", "INVALID", "input.password"},
		{"empty name", "d@example.com", "long enough", "  ", "INVALID", "input.name"},
	} {
		errs := f.mutate("", registerMutation, "register", in(tc.email, tc.password, tc.userName), &p)
		if !slices.Equal(errs.codes(), []string{tc.code}) || errs[0].Field == nil || *errs[0].Field != tc.field {
			t.Errorf("%s: %+v", tc.name, errs)
		}
	}
	if got := f.store.writes.Load(); got != writes {
		t.Errorf("rejected registrations wrote %d times", got-writes)
	}
}

func TestLoginLogout(t *testing.T) {
	f := newFixture(t)
	in := func(email, password string) map[string]any {
		return map[string]any{"input": map[string]any{"email": email, "password": password}}
	}
	var p sessionPayload
	if errs := f.mutate("", loginMutation, "login", in("alice@example.com", "correct horse"), &p); len(errs) > 0 {
		t.Fatalf("login: %+v", errs)
	}
	if p.Token == nil || p.Customer.ID != f.alice.ID {
		t.Fatalf("login payload: %+v", p)
	}
	token := *p.Token
	for _, tc := range []struct{ email, password string }{
		{"alice@example.com", "wrong"}, {"nobody@example.com", "correct horse"}, {strings.Repeat("a", 300), "x"},
	} {
		errs := f.mutate("", loginMutation, "login", in(tc.email, tc.password), &p)
		if !slices.Equal(errs.codes(), []string{"UNAUTHORIZED"}) || p.Token != nil {
			t.Errorf("login %q: %+v", tc.email, errs)
		}
	}

	var out struct {
		Logout struct{ Revoked bool }
	}
	f.ok(token, `mutation { logout { revoked errors { code } } }`, nil, &out)
	if !out.Logout.Revoked {
		t.Fatal("logout did not revoke")
	}
	w := f.raw(http.MethodPost, "/", "application/json", `{"query":"{ me { id } }"}`, map[string]string{"Authorization": "Bearer " + token})
	if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), `"UNAUTHORIZED"`) || w.Header().Get("WWW-Authenticate") == "" {
		t.Errorf("revoked token: %d %s", w.Code, w.Body)
	}
	if r := f.do("", `mutation { logout { revoked } }`, nil); !slices.Equal(r.codes(), []string{"UNAUTHORIZED"}) {
		t.Errorf("anonymous logout: %+v", r.Errors)
	}
}

func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t)
	f.resolver.LoginLimits = LoginLimits{PerEmail: rate.Every(time.Hour), EmailBurst: 3, PerIP: rate.Every(time.Hour), IPBurst: 5}
	in := func(email, password string) map[string]any {
		return map[string]any{"input": map[string]any{"email": email, "password": password}}
	}
	codes := func(email, password string) []string {
		return f.mutate("", loginMutation, "login", in(email, password), nil).codes()
	}
	for range 3 {
		if got := codes("alice@example.com", "wrong"); !slices.Equal(got, []string{"UNAUTHORIZED"}) {
			t.Fatalf("attempt: %v", got)
		}
	}
	// The email's bucket is empty: even the right password is refused.
	if got := codes("ALICE@example.com", "correct horse"); !slices.Equal(got, []string{"RATE_LIMITED"}) {
		t.Errorf("4th attempt for the email: %v", got)
	}
	// Another email from the same client still has IP budget left (5th attempt).
	if got := codes("bob@example.com", "correct horse"); len(got) != 0 {
		t.Errorf("bob: %v", got)
	}
	// Now the client's IP bucket is empty too.
	if got := codes("ops@example.com", "correct horse"); !slices.Equal(got, []string{"RATE_LIMITED"}) {
		t.Errorf("6th attempt from the IP: %v", got)
	}
}

func TestLoginLimiterIsBounded(t *testing.T) {
	l := newLoginLimiter(LoginLimits{PerEmail: rate.Every(time.Hour), EmailBurst: 1, PerIP: rate.Every(time.Hour), IPBurst: 1, MaxKeys: 3})
	now := time.Now()
	for i, email := range []string{"a", "b", "c", "d"} {
		if err := l.allow(now.Add(time.Duration(i)*time.Second), email, ""); err != nil {
			t.Fatalf("%s: %v", email, err)
		}
	}
	if len(l.keys) != 3 {
		t.Fatalf("limiter holds %d keys, want 3", len(l.keys))
	}
	// "a" was the oldest and was forgotten, so it has a fresh bucket; "d" has none left.
	if err := l.allow(now.Add(time.Minute), "a", ""); err != nil {
		t.Errorf("a after eviction: %v", err)
	}
	if err := l.allow(now.Add(time.Minute), "d", ""); err == nil {
		t.Error("d was not limited")
	}
}

func TestMe(t *testing.T) {
	f := newFixture(t)
	var got struct{ Me *struct{ ID, Role string } }
	f.ok("", `{ me { id role } }`, nil, &got)
	if got.Me != nil {
		t.Errorf("anonymous me: %+v", got.Me)
	}
	f.ok(f.adminToken, `{ me { id role } }`, nil, &got)
	if got.Me == nil || got.Me.ID != f.admin.ID || got.Me.Role != "ADMIN" {
		t.Errorf("admin me: %+v", got.Me)
	}
	w := f.raw(http.MethodPost, "/", "application/json", `{"query":"{ me { id } }"}`, map[string]string{"Authorization": "Basic abc"})
	if w.Code != http.StatusUnauthorized {
		t.Errorf("basic auth: %d %s", w.Code, w.Body)
	}
}
