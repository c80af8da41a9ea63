package devstack

import (
	"fmt"
	"net"
	"strconv"
)

// PortError says that a port the stack wants is taken.
type PortError struct {
	Addr    string // host:port
	Service string // what wanted it, e.g. "Temporal frontend"
	Err     error
}

func (e *PortError) Error() string {
	_, port, _ := net.SplitHostPort(e.Addr)
	return fmt.Sprintf("port %s (%s) is in use", port, e.Service)
}

func (e *PortError) Unwrap() error { return e.Err }

// CheckPort returns a *PortError if addr cannot be bound right now.
func CheckPort(addr, service string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return &PortError{Addr: addr, Service: service, Err: err}
	}
	return ln.Close()
}

// FreePort returns a loopback port that was free a moment ago. Another
// program may take it before it is used; the processes that can pick their
// own port (the devstore) are given port 0 instead.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// loopback returns the loopback address of port.
func loopback(port int) string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}
