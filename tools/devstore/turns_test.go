package main

import (
	"context"
	"testing"
	"time"
)

// acquired reports whether acquire(key) gets its turn within wait.
func acquired(t *testing.T, tu *turns, key string, wait time.Duration) (release func(), ok bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	release, err := tu.acquire(ctx, key)
	return release, err == nil
}

func TestTurns(t *testing.T) {
	const short = 30 * time.Millisecond
	tests := []struct {
		name    string
		holding []string // turns taken first, in order
		then    string   // the turn asked for next
		want    bool
	}{
		{"two documents at once", []string{"a"}, "b", true},
		{"one document twice", []string{"a"}, "a", false},
		{"exclusive beside a document", []string{"a"}, "", false},
		{"a document beside exclusive", []string{""}, "a", false},
		{"exclusive twice", []string{""}, "", false},
		{"after releases", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tu := newTurns(time.Minute)
			for _, k := range tt.holding {
				release, ok := acquired(t, tu, k, short)
				if !ok {
					t.Fatalf("could not take %q", k)
				}
				defer release()
			}
			release, ok := acquired(t, tu, tt.then, short)
			if ok != tt.want {
				t.Fatalf("turn %q admitted = %v, want %v", tt.then, ok, tt.want)
			}
			if ok {
				release()
			}
		})
	}
}

// TestTurnsExclusiveIsNotStarved: once an exclusive write waits, new
// writes to other documents wait behind it; when it gives up, they go on.
func TestTurnsExclusiveIsNotStarved(t *testing.T) {
	tu := newTurns(time.Minute)
	releaseA, ok := acquired(t, tu, "a", time.Second)
	if !ok {
		t.Fatal("could not take a")
	}
	exclusive := make(chan func())
	go func() {
		release, err := tu.acquire(t.Context(), "")
		if err != nil {
			t.Error(err)
			release = func() {}
		}
		exclusive <- release
	}()
	deadline := time.Now().Add(5 * time.Second)
	for waiting := 0; waiting == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the exclusive write never started waiting")
		}
		tu.mu.Lock()
		waiting = len(tu.queue)
		tu.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	if _, ok := acquired(t, tu, "b", 30*time.Millisecond); ok {
		t.Fatal("a new write to b went ahead of the waiting exclusive write")
	}
	releaseA()
	select {
	case release := <-exclusive:
		release()
	case <-time.After(5 * time.Second):
		t.Fatal("the exclusive write did not get its turn once a was released")
	}
	if release, ok := acquired(t, tu, "b", time.Second); !ok {
		t.Fatal("b still waits after the exclusive write ended")
	} else {
		release()
	}
}

func TestTurnsWaitersGiveUp(t *testing.T) {
	tu := newTurns(50 * time.Millisecond)
	release, ok := acquired(t, tu, "a", time.Second)
	if !ok {
		t.Fatal("could not take a")
	}
	defer release()
	if _, err := tu.acquire(t.Context(), ""); err == nil {
		t.Fatal("an exclusive turn was given while a was held")
	}
	// The exclusive waiter gave up (its timeout): it must not keep the
	// other documents out.
	if r, ok := acquired(t, tu, "b", time.Second); !ok {
		t.Fatal("an exclusive waiter that gave up still blocks b")
	} else {
		r()
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := tu.acquire(ctx, "a"); err == nil {
		t.Fatal("a cancelled wait got a turn")
	}
}

// TestTurnsInArrivalOrder: writes to one document get their turns in the
// order they asked, however many wait.
func TestTurnsInArrivalOrder(t *testing.T) {
	tu := newTurns(time.Minute)
	release, ok := acquired(t, tu, "a", time.Second)
	if !ok {
		t.Fatal("could not take a")
	}
	const waiters = 20
	order := make(chan int, waiters)
	done := make(chan struct{})
	for i := range waiters {
		go func() {
			r, err := tu.acquire(t.Context(), "a")
			if err != nil {
				t.Error(err)
				return
			}
			order <- i
			r()
			done <- struct{}{}
		}()
		// Wait until it is queued, so that the arrival order is i's.
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
			tu.mu.Lock()
			n := len(tu.queue)
			tu.mu.Unlock()
			if n == i+1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("waiter %d never queued", i)
			}
		}
	}
	release()
	for range waiters {
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("a waiter never got its turn")
		}
	}
	close(order)
	want := 0
	for got := range order {
		if got != want {
			t.Fatalf("turn %d went to waiter %d, want %d", want, got, want)
		}
		want++
	}
}
