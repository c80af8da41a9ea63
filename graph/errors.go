package graph

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orderly-shop/orderly"
)

// This file is the one place where errors meet clients. Resolvers return
// *orderly.Error for anything a client may see:
//
//   - In a mutation, userErrors turns it into the payload's `errors` (data).
//   - Anywhere else (queries, fields, subscriptions, @auth) it becomes a
//     top-level error whose message is the *orderly.Error's and whose
//     extensions.code is its code.
//
// Every other error is unexpected: presentError logs it with its detail and
// shows the client only "internal error" with extensions.code INTERNAL.

// internalMessage is all a client learns of an unexpected failure.
const internalMessage = "internal error"

// userErrors splits a service error: a client-visible *orderly.Error becomes
// the payload's errors; anything else (including EINTERNAL) is returned as
// the error for the presenter to log and hide.
func userErrors(err error) ([]*UserError, error) {
	var e *orderly.Error
	if !errors.As(err, &e) || e.Code == orderly.EINTERNAL || !ErrorCode(e.Code).IsValid() {
		return nil, err
	}
	ue := &UserError{Code: ErrorCode(e.Code), Message: e.Message}
	if e.Field != "" {
		f := e.Field
		if !strings.HasPrefix(f, "input.") && f != "input" {
			f = "input." + f
		}
		ue.Field = &f
	}
	return []*UserError{ue}, nil
}

// fail builds a mutation's failure payload from err with build, or returns
// err itself when it is unexpected.
func fail[P any](err error, build func([]*UserError) *P) (*P, error) {
	errs, err := userErrors(err)
	if err != nil {
		return nil, err
	}
	return build(errs), nil
}

// noErrors is the errors list of a successful payload: empty, never null.
func noErrors() []*UserError { return []*UserError{} }

// presentError is the gqlgen ErrorPresenter: it maps every error a resolver,
// directive or the executor returns to what the client sees.
func (r *Resolver) presentError(ctx context.Context, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)

	var appErr *orderly.Error
	if errors.As(err, &appErr) && appErr.Code != orderly.EINTERNAL {
		gqlErr.Message = appErr.Message
		gqlErr.Extensions = map[string]any{"code": appErr.Code}
		if appErr.Field != "" {
			gqlErr.Extensions["field"] = appErr.Field
		}
		return gqlErr
	}

	// Errors made by gqlgen and gqlparser themselves (parse, validation,
	// limits) carry no wrapped error and are meant for the client as they are.
	var own *gqlerror.Error
	if errors.As(err, &own) && own.Err == nil && appErr == nil {
		if own.Extensions == nil || own.Extensions["code"] == nil {
			gqlErr.Extensions = map[string]any{"code": "BAD_REQUEST"}
		}
		return gqlErr
	}

	attrs := []any{"error", err.Error()}
	if path := graphql.GetPath(ctx); len(path) > 0 {
		attrs = append(attrs, "path", path.String())
	}
	if graphql.HasOperationContext(ctx) {
		if op := graphql.GetOperationContext(ctx); op != nil {
			attrs = append(attrs, "operation", op.OperationName)
		}
	}
	r.logger().ErrorContext(ctx, "graphql: unexpected error", attrs...)
	return &gqlerror.Error{
		Message:    internalMessage,
		Path:       gqlErr.Path,
		Extensions: map[string]any{"code": orderly.EINTERNAL},
	}
}

// recoverPanic is the gqlgen RecoverFunc: it logs a resolver's panic with its
// stack and turns it into an internal error.
func (r *Resolver) recoverPanic(ctx context.Context, p any) error {
	r.logger().ErrorContext(ctx, "graphql: panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
	return errPanic
}

// errPanic is what a recovered panic becomes; presentError hides it.
var errPanic = errors.New("graph: resolver panicked")

// errNotSignedIn is the error of an anonymous caller where a customer is
// needed: @auth returns it, and resolvers return it defensively.
func errNotSignedIn() error {
	return orderly.Errorf(orderly.EUNAUTHORIZED, "sign in first")
}
