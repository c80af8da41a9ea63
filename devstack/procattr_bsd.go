//go:build unix && !linux

package devstack

import "syscall"

// sysProcAttr puts the child in its own process group. Only Linux can have
// the kernel kill it when the launcher dies.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
