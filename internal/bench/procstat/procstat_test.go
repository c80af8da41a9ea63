package procstat

import (
	"os"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	// A command name with a space and a parenthesis, as a process may have.
	line := "4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 8 0 100 1000 200 18446744073709551615"
	got, err := parseStatCPU(line)
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 * time.Second; got != want { // (250+50) ticks at 100 Hz
		t.Fatalf("cpu %s, want %s", got, want)
	}
	if _, err := parseStatCPU("4242 (short) S 1 2"); err == nil {
		t.Fatal("a short line parsed")
	}
}

func TestParseStatmRSS(t *testing.T) {
	got, err := parseStatmRSS("1000 250 30 1 0 100 0\n")
	if err != nil || got != 250 {
		t.Fatalf("rss pages %d (%v), want 250", got, err)
	}
}

// TestReadSelf reads this process, which has used some CPU and memory by now.
func TestReadSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc on this system")
	}
	deadline := time.Now().Add(50 * time.Millisecond)
	for time.Now().Before(deadline) { // burn a little CPU, bounded in time
	}
	s, err := Read(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.CPU <= 0 || s.RSS <= 0 {
		t.Fatalf("sample %+v: want positive CPU and RSS", s)
	}
	if _, err := LoadAverage(); err != nil {
		t.Fatal(err)
	}
}
