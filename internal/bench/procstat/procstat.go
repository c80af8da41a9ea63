// Package procstat reads what a process has cost so far (CPU time and
// resident memory) from Linux's /proc, so that a benchmark can charge each
// process of a stack (store, Temporal, server, worker) for its share of a
// measurement window without instrumenting it.
package procstat

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat. It is
// 100 on every Linux ABI Go supports; reading it would need sysconf (cgo).
const clockTicks = 100

// Sample is a process's cumulative CPU time and its resident memory at one
// moment.
type Sample struct {
	// CPU is user plus system time since the process started.
	CPU time.Duration
	// RSS is the resident set size in bytes.
	RSS int64
	At  time.Time
}

// Read samples the process pid.
func Read(pid int) (Sample, error) {
	at := time.Now()
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return Sample{}, fmt.Errorf("procstat: %w", err)
	}
	cpu, err := parseStatCPU(string(stat))
	if err != nil {
		return Sample{}, fmt.Errorf("procstat: pid %d: %w", pid, err)
	}
	statm, err := os.ReadFile(fmt.Sprintf("/proc/%d/statm", pid))
	if err != nil {
		return Sample{}, fmt.Errorf("procstat: %w", err)
	}
	pages, err := parseStatmRSS(string(statm))
	if err != nil {
		return Sample{}, fmt.Errorf("procstat: pid %d: %w", pid, err)
	}
	return Sample{CPU: cpu, RSS: pages * int64(os.Getpagesize()), At: at}, nil
}

// parseStatCPU returns utime+stime from the text of /proc/<pid>/stat. The
// command name (field 2) is in parentheses and may hold spaces and
// parentheses itself, so the fields are counted from the last ')'.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("no command name in %q", stat)
	}
	// After ") " come fields 3 (state) onwards; utime and stime are fields
	// 14 and 15, so indexes 11 and 12 here.
	fields := strings.Fields(stat[i+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("short stat line %q", stat)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("cpu field %q: %w", f, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// parseStatmRSS returns the resident pages, the second field of
// /proc/<pid>/statm.
func parseStatmRSS(statm string) (int64, error) {
	fields := strings.Fields(statm)
	if len(fields) < 2 {
		return 0, fmt.Errorf("short statm line %q", statm)
	}
	return strconv.ParseInt(fields[1], 10, 64)
}

// LoadAverage returns the 1, 5 and 15 minute load averages of the machine,
// which say how busy it was besides the benchmark.
func LoadAverage() ([3]float64, error) {
	var avg [3]float64
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return avg, fmt.Errorf("procstat: %w", err)
	}
	fields := strings.Fields(string(b))
	if len(fields) < 3 {
		return avg, fmt.Errorf("procstat: short loadavg %q", b)
	}
	for i := range avg {
		if avg[i], err = strconv.ParseFloat(fields[i], 64); err != nil {
			return avg, fmt.Errorf("procstat: loadavg: %w", err)
		}
	}
	return avg, nil
}
