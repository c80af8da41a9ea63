package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/internal/bench/gqlclient"
)

// benchPassword is every benchmark account's password.
const benchPassword = "correct horse battery staple"

// shippingAddress is where every benchmark order goes.
var shippingAddress = map[string]any{
	"name": "Ada Lovelace", "line1": "12 Analytical Row", "city": "London", "postalCode": "N1 9GU", "country": "GB",
}

// userError is an error of a mutation's payload.
type userError struct {
	Code    string
	Message string
}

func payloadError(op string, errs []userError) error {
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %s: %s", op, errs[0].Code, errs[0].Message)
}

// shopper is one customer with an account, shopping through the API from
// its own address, with one websocket for following its orders as the web
// app keeps one.
type shopper struct {
	api     *gqlclient.Client
	email   string
	sock    *gqlclient.Socket
	timeout time.Duration
	// current is the order being followed, lastCompleted the last that
	// completed: read by the harness after the loop stopped.
	current, lastCompleted string
}

// register creates a customer account from source and signs it in.
func register(ctx context.Context, url string, source net.IP, email string, timeout time.Duration) (*shopper, error) {
	s := &shopper{api: gqlclient.New(url, source), email: email, timeout: timeout}
	var out struct {
		Register struct {
			Token  *string
			Errors []userError
		}
	}
	if err := s.api.Do(ctx, registerMutation, map[string]any{"e": email, "p": benchPassword, "n": "Bench Shopper"}, &out); err != nil {
		return nil, fmt.Errorf("register %s: %w", email, err)
	}
	if err := payloadError("register", out.Register.Errors); err != nil {
		return nil, err
	}
	if out.Register.Token == nil {
		return nil, errors.New("register: no token")
	}
	s.api.Token = *out.Register.Token
	return s, nil
}

// login signs an existing account in from source.
func login(ctx context.Context, url string, source net.IP, email, password string) (*gqlclient.Client, error) {
	c := gqlclient.New(url, source)
	var out struct {
		Login struct {
			Token  *string
			Errors []userError
		}
	}
	if err := c.Do(ctx, loginMutation, map[string]any{"e": email, "p": password}, &out); err != nil {
		return nil, fmt.Errorf("login %s: %w", email, err)
	}
	if err := payloadError("login", out.Login.Errors); err != nil {
		return nil, err
	}
	if out.Login.Token == nil {
		return nil, errors.New("login: no token")
	}
	c.Token = *out.Login.Token
	return c, nil
}

// orderUpdate is what the benchmark reads of an orderUpdated event.
type orderUpdate struct {
	OrderUpdated struct {
		Initial bool
		Entry   struct {
			Version int
			Status  string
			At      time.Time
		}
		Order struct {
			ID            string
			Status        string
			Version       int
			FailureReason *string
		}
	}
}

// order buys one unit of productID and follows the order to its end:
// addToCart, then placeOrder with key, then orderUpdated until a final
// status. The sample's time runs from sending placeOrder to receiving the
// final event. subID numbers the subscription on the shopper's socket.
func (s *shopper) order(ctx context.Context, key, productID string, subID int) (st sample, orderID string) {
	deadline := time.Now().Add(s.timeout)
	octx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	st.start = time.Now()
	broke := func(err error) (sample, string) {
		st.end = time.Now()
		st.outcome = errored
		if ctx.Err() != nil {
			st.outcome = aborted
		}
		st.reason = errorReason(err)
		return st, orderID
	}

	var err error
	if orderID, err = s.place(octx, key, productID, &st); err != nil {
		return broke(err)
	}
	s.current = orderID

	final, err := s.follow(octx, deadline, orderID, strconv.Itoa(subID), &st)
	if err != nil {
		return broke(err)
	}
	switch orderly.OrderStatus(final.Status) {
	case orderly.StatusCompleted:
		st.outcome = completed
		s.lastCompleted = orderID
	case orderly.StatusCancelled:
		st.outcome = cancelled
	default:
		st.outcome = failed
	}
	if final.FailureReason != nil {
		st.reason = *final.FailureReason
	}
	s.current = ""
	return st, orderID
}

// place puts one unit of productID in the cart and checks out with key. It
// stamps st.start when it sends placeOrder and st.place with its round trip.
func (s *shopper) place(ctx context.Context, key, productID string, st *sample) (string, error) {
	var cart struct{ AddToCart struct{ Errors []userError } }
	if err := s.api.Do(ctx, addToCartMutation, map[string]any{"input": map[string]any{"productId": productID, "quantity": 1}}, &cart); err != nil {
		return "", fmt.Errorf("addToCart: %w", err)
	}
	if err := payloadError("addToCart", cart.AddToCart.Errors); err != nil {
		return "", err
	}
	var placed struct {
		PlaceOrder struct {
			Order  *struct{ ID string }
			Errors []userError
		}
	}
	st.start = time.Now()
	err := s.api.Do(ctx, placeOrderMutation, map[string]any{"input": map[string]any{
		"idempotencyKey": key, "shippingAddress": shippingAddress}}, &placed)
	st.place = time.Since(st.start)
	if err != nil {
		return "", fmt.Errorf("placeOrder: %w", err)
	}
	if err := payloadError("placeOrder", placed.PlaceOrder.Errors); err != nil {
		return "", err
	}
	if placed.PlaceOrder.Order == nil {
		return "", errors.New("placeOrder: no order")
	}
	return placed.PlaceOrder.Order.ID, nil
}

// follow subscribes to the order on the shopper's socket (dialled if need
// be) and reads its events until a final status, stamping st.end with the
// final event's receipt and counting version gaps in st.violations.
func (s *shopper) follow(ctx context.Context, deadline time.Time, orderID, subID string, st *sample) (final struct {
	Status        string
	FailureReason *string
}, err error) {
	if s.sock == nil {
		if s.sock, err = s.api.Dial(ctx); err != nil {
			return final, err
		}
	}
	sock := s.sock
	// A read blocks until its deadline; closing the socket is what stops it
	// when the loop ends first.
	stopClosing := context.AfterFunc(ctx, func() { sock.Close() })
	defer stopClosing()
	drop := func(err error) error {
		sock.Close()
		s.sock = nil
		return err
	}
	if err := sock.Subscribe(subID, orderUpdatedSubscription, map[string]any{"id": orderID}); err != nil {
		return final, drop(err)
	}
	prev := 0
	for {
		m, err := sock.Next(deadline)
		if err != nil {
			if ctx.Err() != nil {
				err = fmt.Errorf("following %s: %w", orderID, context.Cause(ctx))
			}
			return final, drop(err)
		}
		if m.ID != subID {
			continue // the end of an earlier subscription
		}
		var ev orderUpdate
		if err := gqlclient.NextData(m, &ev); err != nil {
			return final, drop(err)
		}
		u := ev.OrderUpdated
		if !u.Initial && u.Entry.Version != prev+1 {
			st.violations++
		}
		prev = u.Entry.Version
		if orderly.OrderStatus(u.Order.Status).IsFinal() {
			st.end = m.ReceivedAt
			final.Status, final.FailureReason = u.Order.Status, u.Order.FailureReason
			if err := sock.Complete(subID); err != nil {
				drop(err)
			}
			return final, nil
		}
	}
}

// close closes the shopper's socket and idle connections.
func (s *shopper) close() {
	if s.sock != nil {
		s.sock.Close()
		s.sock = nil
	}
	s.api.CloseIdle()
}
