package workflows

import (
	"errors"

	"go.temporal.io/sdk/workflow"
)

// saga is a stack of compensations, in the spirit of the samples-go saga: each
// step that did something (or may have) pushes its undo, and a failure unwinds
// the stack newest first, so a refund runs before the stock goes back.
type saga struct {
	steps []compensation
}

// compensation is one undo step. Its name appears in logs and in the
// workflow's result, which is how tests see what was undone.
type compensation struct {
	name string
	run  func(ctx workflow.Context) error
}

// add pushes an undo step.
func (s *saga) add(name string, run func(ctx workflow.Context) error) {
	s.steps = append(s.steps, compensation{name: name, run: run})
}

// clear forgets every undo step: past the point of no return (the goods have
// left), there is nothing left to undo.
func (s *saga) clear() { s.steps = nil }

// compensate runs the undo steps newest first and forgets them. It goes on
// past a failed step, because a failed refund is no reason to keep stock
// reserved, and returns the names of the steps that ran and the joined errors.
//
// ctx must be a disconnected context: compensations have to run even when the
// workflow itself has been cancelled.
func (s *saga) compensate(ctx workflow.Context) (ran []string, err error) {
	var errs []error
	for i := len(s.steps) - 1; i >= 0; i-- {
		c := s.steps[i]
		if cerr := c.run(ctx); cerr != nil {
			workflow.GetLogger(ctx).Error("compensation failed", "compensation", c.name, "error", cerr)
			errs = append(errs, cerr)
			continue
		}
		ran = append(ran, c.name)
	}
	s.steps = nil
	return ran, errors.Join(errs...)
}
