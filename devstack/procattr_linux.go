package devstack

import "syscall"

// sysProcAttr puts the child in its own process group and asks the kernel to
// kill it when the launcher's thread dies, so a crashed launcher or test
// binary leaves no orphan behind.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
