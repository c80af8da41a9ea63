package devstack

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestOutputWriterEmitsWholePrefixedLines(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"one line", []string{"hello\n"}, "server   | hello\n"},
		{"split across writes", []string{"hel", "lo\nwor", "ld\n"}, "server   | hello\nserver   | world\n"},
		{"carriage return dropped", []string{"dos\r\n"}, "server   | dos\n"},
		{"no newline yet", []string{"partial"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			var seen []string
			w := NewOutput(&buf).Writer("server", func(l string) { seen = append(seen, l) })
			for _, s := range tt.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if buf.String() != tt.want {
				t.Errorf("output %q, want %q", buf.String(), tt.want)
			}
			var want []string
			for l := range strings.Lines(tt.want) {
				want = append(want, strings.TrimPrefix(strings.TrimSuffix(l, "\n"), "server   | "))
			}
			if !slices.Equal(seen, want) {
				t.Errorf("onLine saw %q, want %q", seen, want)
			}
		})
	}
}

func TestOutputWriterFlushesLongAndLastLines(t *testing.T) {
	var buf bytes.Buffer
	w := NewOutput(&buf).Writer("x", nil)
	w.Write(bytes.Repeat([]byte("a"), maxLine+1))
	if got := strings.Count(buf.String(), "\n"); got != 1 {
		t.Fatalf("a line longer than maxLine gave %d lines, want 1 written at once", got)
	}
	w.Write([]byte("tail"))
	w.(*lineWriter).flush()
	if !strings.HasSuffix(buf.String(), "x        | tail\n") {
		t.Fatalf("last line without newline not flushed: %q", buf.String()[buf.Len()-20:])
	}
}
