//go:build unix && !linux

package pgtest

import "syscall"

// childAttr runs the server as cred in its own process group. Without
// Linux's parent-death signal, a test binary killed before Main returns
// leaves its server running.
func childAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Setpgid: true}
}
