//go:build unix

package devstack

import (
	"os"
	"syscall"
)

// signalGroup signals the whole process group that p leads.
func signalGroup(p *os.Process, sig syscall.Signal) error {
	return syscall.Kill(-p.Pid, sig)
}
