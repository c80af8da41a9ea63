// Package nondeterministic holds a workflow that breaks the rules on purpose:
// the determinism test checks that workflowcheck still catches it, so that a
// silent checker cannot make that test pass.
package nondeterministic

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// BadWorkflow reads the wall clock, which replay cannot reproduce.
func BadWorkflow(ctx workflow.Context) (time.Time, error) {
	return time.Now(), nil
}
