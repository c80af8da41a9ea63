package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/orderly-shop/orderly"
)

type sessionTokenKey struct{}

type clientIPKey struct{}

// Authenticate resolves an Authorization value ("Bearer <token>") to the
// customer of a live session and returns a context that carries them (see
// orderly.CustomerFromContext) and the token (for logout). An empty value
// leaves the caller anonymous. An unknown, revoked or expired token, or a
// malformed value, returns an EUNAUTHORIZED *orderly.Error.
//
// NewHandler calls it for every HTTP request and for the websocket
// connection_init payload; servers need not call it themselves.
func (r *Resolver) Authenticate(ctx context.Context, authorization string) (context.Context, error) {
	authorization = strings.TrimSpace(authorization)
	if authorization == "" {
		return ctx, nil
	}
	scheme, token, ok := strings.Cut(authorization, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > 512 {
		return ctx, orderly.Errorf(orderly.EUNAUTHORIZED, "the Authorization value must be \"Bearer <token>\"")
	}
	c, err := r.AccountService.CustomerBySession(ctx, token)
	if err != nil {
		return ctx, err
	}
	ctx = orderly.NewContextWithCustomer(ctx, c)
	return context.WithValue(ctx, sessionTokenKey{}, token), nil
}

// sessionToken returns the session token the request was authenticated with.
func sessionToken(ctx context.Context) string {
	t, _ := ctx.Value(sessionTokenKey{}).(string)
	return t
}

// withClientIP records the caller's address for rate limiting.
func withClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, ip)
}

// clientIP returns the caller's address, or "" when unknown.
func clientIP(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}

// authDirective implements @auth(requires: Role): anonymous callers get
// UNAUTHORIZED, signed-in callers without the role get FORBIDDEN.
func authDirective(ctx context.Context, _ any, next graphql.Resolver, requires *orderly.Role) (any, error) {
	c := orderly.CustomerFromContext(ctx)
	if c == nil {
		return nil, errNotSignedIn()
	}
	if requires != nil && *requires == orderly.RoleAdmin && !c.IsAdmin() {
		return nil, orderly.Errorf(orderly.EFORBIDDEN, "operators only")
	}
	return next(ctx)
}

// viewer returns the signed-in customer or EUNAUTHORIZED.
func viewer(ctx context.Context) (*orderly.Customer, error) {
	c := orderly.CustomerFromContext(ctx)
	if c == nil {
		return nil, errNotSignedIn()
	}
	return c, nil
}

// notFound is the one answer to "does not exist" and "is not yours", so that
// nobody learns of another customer's things.
func notFound(field, what string) error {
	return orderly.FieldErrorf(orderly.ENOTFOUND, field, "%s not found", what)
}

// canSee reports whether c may see things owned by ownerID.
func canSee(c *orderly.Customer, ownerID string) bool {
	return c != nil && (c.IsAdmin() || c.ID == ownerID)
}

// orderFor returns the order if c may see it, and ENOTFOUND otherwise.
func (r *Resolver) orderFor(ctx context.Context, c *orderly.Customer, field, id string) (*orderly.Order, error) {
	if err := checkID(field, "order", id); err != nil {
		return nil, err
	}
	o, err := r.OrderService.FindOrderByID(ctx, id)
	if orderly.ErrorCode(err) == orderly.ENOTFOUND || (err == nil && !canSee(c, o.CustomerID)) {
		return nil, notFound(field, "order")
	} else if err != nil {
		return nil, err
	}
	return o, nil
}

// maxIDLength bounds the IDs a lookup is tried for; no store holds longer ones.
const maxIDLength = 128

// checkID screens an ID before any lookup: an ID that is not text
// (orderly.ValidateText) is INVALID on field, one that no store could hold
// (empty, longer than maxIDLength) is a plain ENOTFOUND for what.
func checkID(field, what, id string) error {
	if err := orderly.ValidateText(field, id, 0, 0); err != nil {
		return err
	}
	if id == "" || len(id) > maxIDLength {
		return notFound(field, what)
	}
	return nil
}
