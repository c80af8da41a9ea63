//go:build !unix

package devstack

import (
	"os"
	"syscall"
)

func sysProcAttr() *syscall.SysProcAttr { return nil }

// signalGroup can only kill p itself where process groups are unavailable.
func signalGroup(p *os.Process, _ syscall.Signal) error { return p.Kill() }
