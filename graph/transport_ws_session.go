package graph

import (
	"context"
	"sync"
	"time"

	"github.com/orderly-shop/orderly"
)

// sessionWatch closes, with 4403, every signed-in socket whose session has
// ended (logout or expiry), however it signed in. It is one loop for all the
// sockets of a handler, checking each distinct credential once per interval
// however many sockets share it: a socket costs no goroutine and no store
// read of its own, and two thousand tabs of one shopper cost one check.
type sessionWatch struct {
	// check says whether the session behind an Authorization value is still
	// live; EUNAUTHORIZED means it ended.
	check func(ctx context.Context, authorization string) error
	every time.Duration

	mu      sync.Mutex
	sockets map[string]map[*wsConn]struct{} // by credential
	running bool
}

// add watches c, signed in with authorization, until remove.
func (w *sessionWatch) add(authorization string, c *wsConn) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.sockets == nil {
		w.sockets = map[string]map[*wsConn]struct{}{}
	}
	if w.sockets[authorization] == nil {
		w.sockets[authorization] = map[*wsConn]struct{}{}
	}
	w.sockets[authorization][c] = struct{}{}
	if !w.running {
		w.running = true
		go w.run()
	}
}

// remove stops watching c.
func (w *sessionWatch) remove(authorization string, c *wsConn) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.sockets[authorization], c)
	if len(w.sockets[authorization]) == 0 {
		delete(w.sockets, authorization)
	}
}

// run checks every credential each interval and closes the sockets of
// those that ended, until no socket is left to watch.
func (w *sessionWatch) run() {
	t := time.NewTicker(w.every)
	defer t.Stop()
	for range t.C {
		w.mu.Lock()
		if len(w.sockets) == 0 {
			w.running = false
			w.mu.Unlock()
			return
		}
		creds := make([]string, 0, len(w.sockets))
		for a := range w.sockets {
			creds = append(creds, a)
		}
		w.mu.Unlock()
		for _, a := range creds {
			if !w.ended(a) {
				continue
			}
			w.mu.Lock()
			ended := make([]*wsConn, 0, len(w.sockets[a]))
			for c := range w.sockets[a] {
				ended = append(ended, c)
			}
			delete(w.sockets, a)
			w.mu.Unlock()
			for _, c := range ended {
				_ = c.closeWith(closeForbidden, "Forbidden: the session has ended")
			}
		}
	}
}

// ended asks whether the session behind authorization is over. A check that
// fails for another reason (the store briefly away) says no.
func (w *sessionWatch) ended(authorization string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return orderly.ErrorCode(w.check(ctx, authorization)) == orderly.EUNAUTHORIZED
}
