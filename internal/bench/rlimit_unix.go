//go:build unix

package bench

import "syscall"

// raiseOpenFiles lifts the open-files limit to its hard maximum, for this
// process and (inherited) the processes it starts: every subscriber of the
// fan-out is a socket here and one in the server. Setting it explicitly
// also stops Go from restoring the original soft limit in child processes.
func raiseOpenFiles() error {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return err
	}
	l.Cur = l.Max
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
}
