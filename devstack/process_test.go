package devstack

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the process's output goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startShell runs script under sh and waits for its first output line.
func startShell(t *testing.T, name, script string, stopTimeout time.Duration, out *Output) (*Process, string) {
	t.Helper()
	first := make(chan string, 1)
	p, err := Start(Options{Name: name, Path: "/bin/sh", Args: []string{"-c", script}, Output: out, StopTimeout: stopTimeout,
		OnLine: func(l string) {
			select {
			case first <- l:
			default:
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Stop() })
	select {
	case l := <-first:
		return p, l
	case <-time.After(10 * time.Second):
		t.Fatal("no output from", name)
		return nil, ""
	}
}

// alive reports whether pid runs. A zombie does not: with no parent left to
// reap it, it waits for init, which in a container may take a while.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: trust kill
	}
	// The state follows the command name, which is in parentheses.
	_, rest, _ := bytes.Cut(stat, []byte(") "))
	return !bytes.HasPrefix(rest, []byte("Z"))
}

func TestStopReachesTheWholeProcessGroup(t *testing.T) {
	// The script's background sleep stands for a grandchild; $! is its pid.
	p, line := startShell(t, "parent", `sleep 300 & echo $!; wait`, 5*time.Second, nil)
	grandchild, err := strconv.Atoi(line)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for alive(grandchild) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // reaping by init takes a moment
	}
	if alive(grandchild) {
		syscall.Kill(grandchild, syscall.SIGKILL)
		t.Fatal("grandchild survived Stop")
	}
}

func TestStopKillsWhatIgnoresSIGTERM(t *testing.T) {
	p, _ := startShell(t, "stubborn", `trap '' TERM; echo up; sleep 300`, 200*time.Millisecond, nil)
	start := time.Now()
	err := p.Stop()
	if err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("Stop = %v, want an error saying it was killed", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("Stop took %s", took)
	}
	if err := p.Stop(); err == nil {
		t.Fatal("second Stop forgot the first one's error")
	}
}

func TestStackStopsInReverseOrderAndReportsExits(t *testing.T) {
	var buf syncBuffer
	out := NewOutput(&buf)
	stack := NewStack()
	for _, name := range []string{"first", "second"} {
		p, _ := startShell(t, name, `trap 'echo stopping; exit 0' TERM; echo up; sleep 300 & wait`, 5*time.Second, out)
		stack.Add(p)
	}
	crasher, _ := startShell(t, "crasher", `echo up; read line; exit 3`, 5*time.Second, out)
	stack.Add(crasher)

	if err := stack.Wait(t.Context()); err == nil || !strings.Contains(err.Error(), "crasher exited: exit status 3") {
		// Reading stdin (none) ends at once, so the crasher exits first.
		t.Fatalf("Wait = %v, want the crasher's exit", err)
	}
	if err := stack.Stop(); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	if i, j := strings.Index(got, "second   | stopping"), strings.Index(got, "first    | stopping"); i < 0 || j < 0 || i > j {
		t.Fatalf("want second stopped before first, output:\n%s", got)
	}
}
