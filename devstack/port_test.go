package devstack

import (
	"errors"
	"net"
	"testing"
)

func TestCheckPortNamesTheBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())

	err = CheckPort(ln.Addr().String(), "Temporal frontend")
	var pe *PortError
	if !errors.As(err, &pe) {
		t.Fatalf("CheckPort = %v, want a *PortError", err)
	}
	if want := "port " + port + " (Temporal frontend) is in use"; err.Error() != want {
		t.Fatalf("error %q, want %q", err, want)
	}

	free, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPort(loopback(free), "x"); err != nil {
		t.Fatalf("free port reported busy: %v", err)
	}
}
