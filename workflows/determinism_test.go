package workflows

import (
	"os/exec"
	"strings"
	"testing"
)

// workflowcheck is Temporal's static determinism checker. It is a module of
// its own, run at a pinned version (served by the Go module proxy; checked
// with `go list -m -versions go.temporal.io/sdk/contrib/tools/workflowcheck`)
// so that it never enters this module's dependency graph.
const workflowcheck = "go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0"

// TestWorkflowsAreDeterministic runs workflowcheck over the workflows: no
// wall clock, randomness, goroutines, map iteration or I/O is reachable from
// a workflow function. It first checks that workflowcheck does flag a
// workflow that reads time.Now, so a checker that silently checks nothing
// cannot make this test pass.
func TestWorkflowsAreDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds workflowcheck; skipped with -short")
	}
	// One run over both packages: loading them is most of the cost.
	cmd := exec.Command("go", "run", workflowcheck, "./workflows/...", "./workflows/testdata/nondeterministic")
	cmd.Dir = ".." // the module root, so the package patterns resolve
	outBytes, err := cmd.CombinedOutput()
	out := string(outBytes)
	if err == nil {
		t.Fatalf("workflowcheck passed a workflow that calls time.Now:\n%s", out)
	}
	if !strings.Contains(out, "nondeterministic.BadWorkflow is non-deterministic") {
		if unreachable(out) {
			t.Skipf("cannot fetch %s (no module proxy and not in the module cache):\n%s", workflowcheck, out)
		}
		t.Fatalf("workflowcheck failed without flagging BadWorkflow:\n%s", out)
	}
	// Each flagged workflow function heads an unindented line; the indented
	// lines under it give the call chain.
	for _, line := range strings.Split(out, "\n") {
		top := line != "" && line[0] != ' ' && line[0] != '\t'
		if top && strings.Contains(line, "is non-deterministic") && !strings.Contains(line, "nondeterministic.BadWorkflow") {
			t.Errorf("non-deterministic workflow code: %s", line)
		}
	}
	if t.Failed() {
		t.Logf("workflowcheck output:\n%s", out)
	}
}

// unreachable reports whether go run failed to download the checker.
func unreachable(out string) bool {
	for _, s := range []string{"dial tcp", "no such host", "connection refused", "proxyconnect", "i/o timeout", "GOPROXY=off", "module lookup disabled"} {
		if strings.Contains(out, s) {
			return true
		}
	}
	return false
}
