// Package envconfig reads a binary's configuration from environment variables
// in one pass, collecting every problem so that start-up fails once, with a
// message that names each variable to fix.
package envconfig

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Reader reads typed values from an environment lookup function and
// remembers every invalid one. Call Err after the last read.
type Reader struct {
	lookup   func(string) (string, bool)
	problems []Problem
}

// New returns a Reader over lookup (os.LookupEnv in production, a map in tests).
func New(lookup func(string) (string, bool)) *Reader {
	return &Reader{lookup: lookup}
}

// FromMap returns a lookup function over a map, for tests.
func FromMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func (r *Reader) raw(key string) (string, bool) {
	v, ok := r.lookup(key)
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

func (r *Reader) fail(key, format string, args ...any) {
	r.problems = append(r.problems, Problem{Variable: key, Reason: fmt.Sprintf(format, args...)})
}

// String returns the variable, or def when unset or empty.
func (r *Reader) String(key, def string) string {
	if v, ok := r.raw(key); ok {
		return v
	}
	return def
}

// Required returns the variable, recording an error when it is unset.
func (r *Reader) Required(key, why string) string {
	v, ok := r.raw(key)
	if !ok {
		r.fail(key, "must be set (%s)", why)
	}
	return v
}

// OneOf returns the variable, which must be one of allowed.
func (r *Reader) OneOf(key, def string, allowed ...string) string {
	v := r.String(key, def)
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	r.fail(key, "is %q; want one of %s", v, strings.Join(allowed, ", "))
	return def
}

// Bool returns the variable parsed as a boolean (true/false/1/0).
func (r *Reader) Bool(key string, def bool) bool {
	v, ok := r.raw(key)
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(key, "is %q; want true or false", v)
		return def
	}
	return b
}

// Int returns the variable parsed as an integer within [lo, hi].
func (r *Reader) Int(key string, def, lo, hi int) int {
	v, ok := r.raw(key)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.fail(key, "is %q; want a whole number from %d to %d", v, lo, hi)
		return def
	}
	return n
}

// Duration returns the variable parsed by time.ParseDuration within [lo, hi].
func (r *Reader) Duration(key string, def, lo, hi time.Duration) time.Duration {
	v, ok := r.raw(key)
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < lo || d > hi {
		r.fail(key, "is %q; want a duration such as 30s from %s to %s", v, lo, hi)
		return def
	}
	return d
}

// List returns the comma-separated variable, trimmed, without empty items.
func (r *Reader) List(key string, def []string) []string {
	v, ok := r.raw(key)
	if !ok {
		return def
	}
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// URL returns the variable parsed as an absolute URL with one of the schemes.
func (r *Reader) URL(key, def string, schemes ...string) string {
	v := r.String(key, def)
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		r.fail(key, "is %q; want an absolute URL", v)
		return def
	}
	for _, s := range schemes {
		if u.Scheme == s {
			return v
		}
	}
	r.fail(key, "has scheme %q; want one of %s", u.Scheme, strings.Join(schemes, ", "))
	return def
}

// Check records err against key when it is not nil, for validations that
// involve several variables.
func (r *Reader) Check(key string, err error) {
	if err != nil {
		r.fail(key, "%v", err)
	}
}

// Err returns every problem found as a *ConfigError, or nil.
func (r *Reader) Err() error {
	if len(r.problems) == 0 {
		return nil
	}
	return &ConfigError{Problems: r.problems}
}

// Problem is one variable to fix and why.
type Problem struct {
	Variable string
	Reason   string
}

// ConfigError is every invalid setting found by one Reader.
type ConfigError struct {
	Problems []Problem
}

// Error lists the problems under one heading, one indented line each.
func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("invalid configuration (set these environment variables):")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.Variable)
		b.WriteString(": ")
		b.WriteString(p.Reason)
	}
	return b.String()
}

// Variables returns the variables a *ConfigError in err's chain names, in
// the order they were found; nil if there is none.
func Variables(err error) []string {
	var ce *ConfigError
	if !errors.As(err, &ce) {
		return nil
	}
	names := make([]string, len(ce.Problems))
	for i, p := range ce.Problems {
		names[i] = p.Variable
	}
	return names
}
