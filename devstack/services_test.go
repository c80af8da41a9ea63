package devstack

import (
	"errors"
	"net"
	"testing"
	"time"
)

func TestTemporalAcceptsConnections(t *testing.T) {
	addr := TestTemporal(t)
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

func TestStartStoreRefusesABusyPort(t *testing.T) {
	skipShort(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = StartStore(t.Context(), StoreOptions{Bin: TestTools(t).Devstore, Addr: ln.Addr().String(), DataDir: t.TempDir()})
	var pe *PortError
	if !errors.As(err, &pe) {
		t.Fatalf("StartStore = %v, want a *PortError", err)
	}
}
