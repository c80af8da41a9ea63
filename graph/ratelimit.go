package graph

import (
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderly-shop/orderly"
)

// LoginLimits bounds sign-in and registration attempts, per email address and
// per client IP, with token buckets.
type LoginLimits struct {
	// PerEmail is the sustained rate of attempts for one email address.
	PerEmail rate.Limit
	// EmailBurst is how many attempts for one email may come at once.
	EmailBurst int
	// PerIP is the sustained rate of attempts from one client address.
	PerIP rate.Limit
	// IPBurst is how many attempts from one address may come at once.
	IPBurst int
	// MaxKeys bounds the memory of the limiter: past it, the least recently
	// seen key is forgotten.
	MaxKeys int
}

// DefaultLoginLimits: 5 attempts per email then one every 12 s (5/min);
// 20 per client IP then one every 3 s (20/min); 10,000 remembered keys.
func DefaultLoginLimits() LoginLimits {
	return LoginLimits{
		PerEmail:   rate.Every(12 * time.Second),
		EmailBurst: 5,
		PerIP:      rate.Every(3 * time.Second),
		IPBurst:    20,
		MaxKeys:    10_000,
	}
}

func (l LoginLimits) withDefaults() LoginLimits {
	d := DefaultLoginLimits()
	if l.PerEmail == 0 {
		l.PerEmail = d.PerEmail
	}
	if l.EmailBurst == 0 {
		l.EmailBurst = d.EmailBurst
	}
	if l.PerIP == 0 {
		l.PerIP = d.PerIP
	}
	if l.IPBurst == 0 {
		l.IPBurst = d.IPBurst
	}
	if l.MaxKeys == 0 {
		l.MaxKeys = d.MaxKeys
	}
	return l
}

// loginLimiter keeps a token bucket per email and per IP in a bounded map.
type loginLimiter struct {
	limits LoginLimits
	mu     sync.Mutex
	keys   map[string]*limiterEntry
}

type limiterEntry struct {
	limiter  *rate.Limiter
	lastSeen time.Time
}

func newLoginLimiter(l LoginLimits) *loginLimiter {
	return &loginLimiter{limits: l, keys: map[string]*limiterEntry{}}
}

// allow takes one attempt from the buckets of the email (if any) and of the
// IP (if known) and returns ERATELIMITED if either is empty.
func (l *loginLimiter) allow(now time.Time, email, ip string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	ok := true
	if ip != "" {
		ok = l.take(now, "ip:"+ip, l.limits.PerIP, l.limits.IPBurst) && ok
	}
	if email != "" {
		ok = l.take(now, "email:"+strings.ToLower(strings.TrimSpace(email)), l.limits.PerEmail, l.limits.EmailBurst) && ok
	}
	if !ok {
		return orderly.Errorf(orderly.ERATELIMITED, "too many attempts; try again in a minute")
	}
	return nil
}

func (l *loginLimiter) take(now time.Time, key string, r rate.Limit, burst int) bool {
	e := l.keys[key]
	if e == nil {
		if len(l.keys) >= l.limits.MaxKeys {
			l.evictOldest()
		}
		e = &limiterEntry{limiter: rate.NewLimiter(r, burst)}
		l.keys[key] = e
	}
	e.lastSeen = now
	return e.limiter.AllowN(now, 1)
}

// evictOldest forgets the least recently seen key. It scans the map, which
// happens only when the map is full.
func (l *loginLimiter) evictOldest() {
	var oldest string
	var at time.Time
	for k, e := range l.keys {
		if oldest == "" || e.lastSeen.Before(at) {
			oldest, at = k, e.lastSeen
		}
	}
	delete(l.keys, oldest)
}
