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
// write alone.
//
// Turns are given in arrival order, as the single gate's were: a write
// waits for every earlier write it conflicts with (one to the same
// document, or an exclusive one; an exclusive write conflicts with all),
// and goes ahead of none of them. So no write waits for ever behind later
// ones, and an exclusive write is not starved by a stream of keyed ones.
// Each waiter has its own channel, closed when its turn comes, so that it
// can also give up when its context ends or its wait exceeds the timeout,
// which a mutex would not allow.
type turns struct {
	timeout time.Duration

	mu        sync.Mutex
	exclusive bool            // an exclusive write runs
	held      map[string]bool // the keys of the keyed writes running
	queue     []*turnWaiter   // writes waiting, oldest first
}

// turnWaiter is one write waiting for its turn.
type turnWaiter struct {
	key   string        // "" for an exclusive turn
	ready chan struct{} // closed when the turn is given
}

func newTurns(timeout time.Duration) *turns {
	return &turns{timeout: timeout, held: map[string]bool{}}
}

// acquire waits for a turn and returns the function that ends it. key is
// the document the write touches (docKey); "" asks for an exclusive turn.
func (t *turns) acquire(ctx context.Context, key string) (release func(), err error) {
	w := &turnWaiter{key: key, ready: make(chan struct{})}
	t.mu.Lock()
	t.queue = append(t.queue, w)
	t.admitLocked()
	t.mu.Unlock()

	timer := time.NewTimer(t.timeout)
	defer timer.Stop()
	select {
	case <-w.ready:
		return sync.OnceFunc(func() { t.release(key) }), nil
	case <-ctx.Done():
		err = fmt.Errorf("gate: %w", context.Cause(ctx))
	case <-timer.C:
		err = errors.New("gate: still busy after " + t.timeout.String())
	}
	if t.leave(w) {
		return nil, err
	}
	// The turn came as the wait ended: give it back.
	t.release(key)
	return nil, err
}

// admitLocked gives a turn to every waiter, oldest first, that conflicts
// neither with a running write nor with an older waiter; t.mu is held.
func (t *turns) admitLocked() {
	// What the writes running and the older waiters hold or want.
	blockedAll := t.exclusive
	blocked := map[string]bool{}
	kept := t.queue[:0]
	for _, w := range t.queue {
		switch {
		case w.key == "" && !blockedAll && len(t.held) == 0 && len(blocked) == 0:
			t.exclusive = true
			close(w.ready)
			blockedAll = true
		case w.key != "" && !blockedAll && !t.held[w.key] && !blocked[w.key]:
			t.held[w.key] = true
			close(w.ready)
		default:
			kept = append(kept, w)
			if w.key == "" {
				blockedAll = true
			} else {
				blocked[w.key] = true
			}
		}
	}
	clear(t.queue[len(kept):])
	t.queue = kept
}

// leave takes a waiter that gave up out of the queue. It reports false when
// the waiter was no longer queued: its turn was given meanwhile.
func (t *turns) leave(w *turnWaiter) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, q := range t.queue {
		if q == w {
			t.queue = append(t.queue[:i], t.queue[i+1:]...)
			t.admitLocked() // it may have held others back
			return true
		}
	}
	return false
}

func (t *turns) release(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if key == "" {
		t.exclusive = false
	} else {
		delete(t.held, key)
	}
	t.admitLocked()
}
