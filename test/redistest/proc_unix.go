//go:build unix && !linux

package redistest

import "syscall"

// childAttr runs the server in its own process group. Without Linux's
// parent-death signal, a test binary killed before Main returns leaves its
// server running.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
