package envconfig

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReaderParsesAndCollectsErrors(t *testing.T) {
	r := New(FromMap(map[string]string{
		"NAME": " orderly ", "FLAG": "true", "BADFLAG": "maybe", "N": "7", "BIGN": "1000",
		"D": "2s", "BADD": "soon", "LIST": "a, b,,c", "U": "http://x:1", "BADU": "ftp://x",
		"MODE": "json",
	}))
	if got := r.String("NAME", "x"); got != "orderly" {
		t.Errorf("String = %q", got)
	}
	if got := r.String("UNSET", "def"); got != "def" {
		t.Errorf("String default = %q", got)
	}
	if !r.Bool("FLAG", false) || r.Bool("BADFLAG", false) {
		t.Error("Bool parse wrong")
	}
	if r.Int("N", 0, 1, 10) != 7 || r.Int("BIGN", 5, 1, 10) != 5 {
		t.Error("Int parse wrong")
	}
	if r.Duration("D", 0, time.Second, time.Minute) != 2*time.Second || r.Duration("BADD", time.Second, 0, time.Hour) != time.Second {
		t.Error("Duration parse wrong")
	}
	if got := strings.Join(r.List("LIST", nil), "|"); got != "a|b|c" {
		t.Errorf("List = %q", got)
	}
	if r.URL("U", "", "http") != "http://x:1" {
		t.Error("URL parse wrong")
	}
	r.URL("BADU", "http://d", "http", "https")
	r.OneOf("MODE", "text", "text", "json")
	r.Required("MISSING", "the store to use")

	err := r.Err()
	if err == nil {
		t.Fatal("Err = nil, want the bad variables")
	}
	for _, key := range []string{"BADFLAG", "BIGN", "BADD", "BADU", "MISSING"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error does not name %s: %v", key, err)
		}
	}
	// One indented line per problem, under one heading.
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 6 {
		t.Errorf("want a heading and 5 problem lines, got %d lines:\n%v", len(lines), err)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "  ") || strings.HasPrefix(l, "   ") {
			t.Errorf("problem line %q is not indented by two spaces", l)
		}
	}
	if got, want := Variables(fmt.Errorf("start: %w", err)), []string{"BADFLAG", "BIGN", "BADD", "BADU", "MISSING"}; !slices.Equal(got, want) {
		t.Errorf("Variables = %v, want %v", got, want)
	}
	if Variables(errors.New("not a configuration error")) != nil {
		t.Error("Variables of another error is not nil")
	}
	for _, key := range []string{"NAME:", "FLAG:", "MODE:"} {
		if strings.Contains(err.Error(), "\n  "+key) || strings.HasPrefix(err.Error(), key) {
			t.Errorf("error names valid variable %s: %v", key, err)
		}
	}
}

func TestReaderNoErrors(t *testing.T) {
	r := New(FromMap(nil))
	r.String("A", "a")
	ReadLogging(r)
	if err := r.Err(); err != nil {
		t.Fatalf("Err = %v", err)
	}
}
