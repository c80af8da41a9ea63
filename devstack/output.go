package devstack

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
)

// Output writes the log lines of several processes to one writer, each line
// whole and prefixed with its process name ("server   | ..."), coloured when
// the writer is a terminal.
type Output struct {
	mu    sync.Mutex
	w     io.Writer
	color bool
	next  int // index of the next colour handed out
}

// NewOutput returns an Output on w. Colour is on when w is a terminal and
// NO_COLOR (https://no-color.org) is unset.
func NewOutput(w io.Writer) *Output {
	return &Output{w: w, color: isTerminal(w) && os.Getenv("NO_COLOR") == ""}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// prefixWidth aligns the "|" of the usual names (temporal, store, worker,
// server); longer names just push it right.
const prefixWidth = 8

// ansi colours handed out in turn: cyan, magenta, yellow, green, blue.
func colour(i int) string {
	codes := [...]string{"36", "35", "33", "32", "34"}
	return codes[i%len(codes)]
}

// Writer returns a writer that emits each complete line written to it as one
// prefixed line. onLine, when not nil, sees every line first (without prefix
// or newline); it runs on the writer's goroutine and must not block.
func (o *Output) Writer(name string, onLine func(string)) io.Writer {
	o.mu.Lock()
	defer o.mu.Unlock()
	prefix := fmt.Sprintf("%-*s | ", prefixWidth, name)
	if o.color {
		prefix = "\x1b[" + colour(o.next) + "m" + prefix + "\x1b[0m"
	}
	o.next++
	return &lineWriter{out: o, prefix: prefix, onLine: onLine}
}

// Printf writes a line that belongs to no process.
func (o *Output) Printf(format string, args ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	fmt.Fprintf(o.w, format, args...)
}

// maxLine bounds a line held back while waiting for its newline; a longer one
// is written in pieces.
const maxLine = 64 << 10

// lineWriter buffers a partial line until its newline arrives.
type lineWriter struct {
	out    *Output
	prefix string
	onLine func(string)
	buf    []byte
}

func (lw *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			lw.buf = append(lw.buf, p...)
			if len(lw.buf) >= maxLine {
				lw.emit()
			}
			break
		}
		lw.buf = append(lw.buf, p[:i]...)
		lw.emit()
		p = p[i+1:]
	}
	return n, nil
}

// flush emits a last line that never got its newline.
func (lw *lineWriter) flush() {
	if len(lw.buf) > 0 {
		lw.emit()
	}
}

func (lw *lineWriter) emit() {
	line := string(bytes.TrimSuffix(lw.buf, []byte("\r")))
	lw.buf = lw.buf[:0]
	if lw.onLine != nil {
		lw.onLine(line)
	}
	lw.out.mu.Lock()
	defer lw.out.mu.Unlock()
	// A failed log write must not kill the child (its pipe would break), so
	// the error is dropped.
	_, _ = io.WriteString(lw.out.w, lw.prefix+line+"\n")
}
