package devstack

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// pollInterval is how often readiness is re-checked.
const pollInterval = 50 * time.Millisecond

// waitUntil calls check until it succeeds, p exits, timeout passes or ctx is
// done. what names the awaited state in errors ("accepting connections").
func waitUntil(ctx context.Context, p *Process, timeout time.Duration, what string, check func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		err := check(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-p.Done():
			return fmt.Errorf("%s exited before %s: %v", p.Name(), what, p.Err())
		case <-ctx.Done():
			return fmt.Errorf("%s not %s after %s: %w", p.Name(), what, timeout, err)
		case <-tick.C:
		}
	}
}

// dialCheck succeeds once addr accepts TCP connections.
func dialCheck(addr string) func(context.Context) error {
	return func(ctx context.Context) error {
		d := net.Dialer{Timeout: time.Second}
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return c.Close()
	}
}

// httpCheck succeeds once url answers with a status below want+100, e.g.
// want 200 accepts any 2xx.
func httpCheck(url string, want int) func(context.Context) error {
	client := &http.Client{Timeout: 2 * time.Second}
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode < want || resp.StatusCode >= want+100 {
			return fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return nil
	}
}

// WaitHTTP waits until url answers 2xx, p exits, timeout passes or ctx is done.
func WaitHTTP(ctx context.Context, p *Process, timeout time.Duration, url string) error {
	return waitUntil(ctx, p, timeout, "ready at "+url, httpCheck(url, http.StatusOK))
}
