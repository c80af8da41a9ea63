package devstack

import (
	"context"
	"os/exec"
	"syscall"
	"time"
)

// command is exec.CommandContext for a build step (go build, npm) in its
// own process group: a Ctrl-C in the terminal then reaches only the
// launcher, which cancels ctx, and cancelling kills the whole group, the
// compilers or node processes the step started included.
func command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = sysProcAttr()
	cmd.Cancel = func() error { return signalGroup(cmd.Process, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}
