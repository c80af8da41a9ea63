package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// turns decides which writes may run at once: any number of writes to
// different documents (each holding its document's key), or one exclusive
// write alone. A waiting exclusive write keeps new keyed writes out, so a
// steady stream of them cannot starve it.
//
// Waiters block on a channel that is closed, and replaced, whenever a turn
// ends, so that a waiter can also give up when its context ends or its wait
// exceeds the timeout, which a mutex would not allow.
type turns struct {
	timeout time.Duration

	mu          sync.Mutex
	exclusive   bool
	held        map[string]bool // the keys of the keyed writes running
	exclWaiting int             // exclusive writes waiting for their turn
	changed     chan struct{}   // closed when a turn ends
}

func newTurns(timeout time.Duration) *turns {
	return &turns{timeout: timeout, held: map[string]bool{}, changed: make(chan struct{})}
}

// acquire waits for a turn and returns the function that ends it. key is
// the document the write touches (docKey); "" asks for an exclusive turn.
func (t *turns) acquire(ctx context.Context, key string) (release func(), err error) {
	timer := time.NewTimer(t.timeout)
	defer timer.Stop()
	t.mu.Lock()
	if key == "" {
		t.exclWaiting++
	}
	for {
		if t.admit(key) {
			t.mu.Unlock()
			return sync.OnceFunc(func() { t.release(key) }), nil
		}
		changed := t.changed
		t.mu.Unlock()
		select {
		case <-changed:
			t.mu.Lock()
		case <-ctx.Done():
			t.giveUp(key)
			return nil, fmt.Errorf("gate: %w", context.Cause(ctx))
		case <-timer.C:
			t.giveUp(key)
			return nil, errors.New("gate: still busy after " + t.timeout.String())
		}
	}
}

// admit takes the turn for key if it is free; t.mu is held.
func (t *turns) admit(key string) bool {
	if t.exclusive {
		return false
	}
	if key == "" {
		if len(t.held) > 0 {
			return false
		}
		t.exclWaiting--
		t.exclusive = true
		return true
	}
	if t.exclWaiting > 0 || t.held[key] {
		return false
	}
	t.held[key] = true
	return true
}

// giveUp forgets a waiter that stopped waiting. An exclusive waiter that
// leaves may unblock keyed ones, so the waiters are woken.
func (t *turns) giveUp(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if key == "" {
		t.exclWaiting--
		t.wake()
	}
}

func (t *turns) release(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if key == "" {
		t.exclusive = false
	} else {
		delete(t.held, key)
	}
	t.wake()
}

// wake lets every waiter look again; t.mu is held.
func (t *turns) wake() {
	close(t.changed)
	t.changed = make(chan struct{})
}
