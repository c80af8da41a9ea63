package devstack

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// Stack owns started processes: Wait reports the first that exits on its
// own, Stop stops them all in the reverse of the order they were added.
type Stack struct {
	mu       sync.Mutex
	procs    []*Process
	exited   chan *Process
	stopped  chan struct{}
	stopOnce sync.Once
	stopErr  error
}

// NewStack returns an empty stack.
func NewStack() *Stack {
	return &Stack{exited: make(chan *Process), stopped: make(chan struct{})}
}

// Add makes s responsible for p.
func (s *Stack) Add(p *Process) {
	s.mu.Lock()
	s.procs = append(s.procs, p)
	s.mu.Unlock()
	go func() { // ends when p exits or the stack stops
		select {
		case <-p.Done():
			select {
			case s.exited <- p:
			case <-s.stopped:
			}
		case <-s.stopped:
		}
	}()
}

// Wait blocks until ctx is done, returning nil, or until a process exits
// first, returning an error that names it.
func (s *Stack) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case p := <-s.exited:
		if err := p.Err(); err != nil {
			return fmt.Errorf("%s exited: %w", p.Name(), err)
		}
		return fmt.Errorf("%s exited", p.Name())
	}
}

// Stop stops every process, newest first, so that the server and worker go
// before the services they use. It is safe to call more than once.
func (s *Stack) Stop() error {
	s.stopOnce.Do(func() {
		close(s.stopped)
		s.mu.Lock()
		procs := slices.Clone(s.procs)
		s.mu.Unlock()
		var errs []error
		for _, p := range slices.Backward(procs) {
			errs = append(errs, p.Stop())
		}
		s.stopErr = errors.Join(errs...)
	})
	return s.stopErr
}
