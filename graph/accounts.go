package graph

import (
	"context"
	"strings"

	"github.com/orderly-shop/orderly"
)

// register validates the input, creates a customer and signs them in.
// Registration shares the per-IP budget of sign-in attempts.
func (r *Resolver) register(ctx context.Context, in RegisterInput) (*orderly.Customer, *orderly.Session, error) {
	email, name := strings.TrimSpace(in.Email), strings.TrimSpace(in.Name)
	if err := checkEmail("input.email", email); err != nil {
		return nil, nil, err
	}
	if err := orderly.ValidatePassword("input.password", in.Password); err != nil {
		return nil, nil, err
	}
	if err := orderly.ValidateCustomerName("input.name", name); err != nil {
		return nil, nil, err
	}
	if err := r.logins().allow(r.now(), "", clientIP(ctx)); err != nil {
		return nil, nil, err
	}
	c, err := r.AccountService.Register(ctx, email, in.Password, name, orderly.RoleCustomer)
	if err != nil {
		return nil, nil, err
	}
	s, err := r.AccountService.CreateSession(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	return c, s, nil
}

// login checks the rate limits, then the credentials, and starts a session.
func (r *Resolver) login(ctx context.Context, in LoginInput) (*orderly.Customer, *orderly.Session, error) {
	email := strings.TrimSpace(in.Email)
	if err := orderly.ValidateText("input.email", email, 0, 0); err != nil {
		return nil, nil, err
	}
	if err := orderly.ValidateText("input.password", in.Password, 0, 0); err != nil {
		return nil, nil, err
	}
	if len(email) > orderly.MaxEmailLength || len(in.Password) > orderly.MaxPasswordLength {
		return nil, nil, orderly.Errorf(orderly.EUNAUTHORIZED, "wrong email or password")
	}
	if err := r.logins().allow(r.now(), email, clientIP(ctx)); err != nil {
		return nil, nil, err
	}
	c, err := r.AccountService.Authenticate(ctx, email, in.Password)
	if err != nil {
		return nil, nil, err
	}
	s, err := r.AccountService.CreateSession(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	return c, s, nil
}
