package devstack

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// DefaultStopTimeout is how long Stop waits after SIGTERM before SIGKILL.
const DefaultStopTimeout = 10 * time.Second

// Options describes a process for Start.
type Options struct {
	Name string   // log prefix and error prefix, e.g. "server"
	Path string   // the program
	Args []string // its arguments
	Dir  string   // working directory; "" for the current one
	// Env is added to the current environment; for a key set twice the
	// later value wins.
	Env []string
	// Output receives stdout and stderr as prefixed lines; nil discards them.
	Output *Output
	// OnLine, when set, sees each output line first (see Output.Writer).
	OnLine func(line string)
	// StopTimeout is the grace period of Stop; 0 means DefaultStopTimeout.
	StopTimeout time.Duration
}

// Process is a started child process and the process group it leads.
type Process struct {
	name        string
	cmd         *exec.Cmd
	stopTimeout time.Duration
	done        chan struct{}
	err         error // written before done is closed

	stopOnce sync.Once
	stopErr  error
}

// Start starts a process in its own process group, so that Stop reaches
// everything it spawned and a Ctrl-C in the terminal reaches only the
// launcher, which then stops the stack in order. On Linux the child is also
// killed if the launcher dies without stopping it, so nothing is orphaned
// even when a test binary panics or is killed.
func Start(opts Options) (*Process, error) {
	out := opts.Output
	if out == nil {
		out = NewOutput(io.Discard)
	}
	w := out.Writer(opts.Name, opts.OnLine)

	cmd := exec.Command(opts.Path, opts.Args...)
	cmd.Dir = opts.Dir
	cmd.Env = append(os.Environ(), opts.Env...)
	cmd.Stdout, cmd.Stderr = w, w // one pipe: lines keep their order
	cmd.SysProcAttr = sysProcAttr()
	// A grandchild that keeps the pipe open must not make Wait hang.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", opts.Name, err)
	}

	p := &Process{
		name:        opts.Name,
		cmd:         cmd,
		stopTimeout: opts.StopTimeout,
		done:        make(chan struct{}),
	}
	if p.stopTimeout <= 0 {
		p.stopTimeout = DefaultStopTimeout
	}
	go func() {
		p.err = cmd.Wait()
		w.(*lineWriter).flush() // the copying goroutine has ended by now
		close(p.done)
	}()
	return p, nil
}

// Name returns the name the process was started with.
func (p *Process) Name() string { return p.name }

// Pid returns the process ID, which is also its process group ID.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err returns how the process exited (nil for status 0); call it after Done.
func (p *Process) Err() error {
	<-p.done
	return p.err
}

// Stop sends SIGTERM to the process group and waits for the process to exit;
// after the stop timeout it sends SIGKILL. It is safe to call more than once
// and returns an error only if the process had to be killed.
func (p *Process) Stop() error {
	p.stopOnce.Do(func() { p.stopErr = p.stop() })
	return p.stopErr
}

func (p *Process) stop() error {
	select {
	case <-p.done:
		p.killGroup() // members that outlived their leader
		return nil
	default:
	}
	// ESRCH: it exited just now; the wait below returns at once.
	if err := signalGroup(p.cmd.Process, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("stop %s: %w", p.name, err)
	}
	grace := time.NewTimer(p.stopTimeout)
	defer grace.Stop()
	select {
	case <-p.done:
		p.killGroup()
		return nil
	case <-grace.C:
	}
	p.killGroup()
	select {
	case <-p.done:
	case <-time.After(p.cmd.WaitDelay + time.Second):
	}
	return fmt.Errorf("stop %s: still running %s after SIGTERM: killed", p.name, p.stopTimeout)
}

// killGroup sends SIGKILL to whatever is left of the process group. Usually
// nothing is (ESRCH), and no other outcome could be acted on.
func (p *Process) killGroup() {
	_ = signalGroup(p.cmd.Process, syscall.SIGKILL)
}
