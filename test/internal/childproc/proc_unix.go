//go:build unix && !linux

package childproc

import "syscall"

// childAttr runs the child as cred (nil: the current user) in its own
// process group. Without Linux's parent-death signal, a test binary killed
// before it stops its server leaves the server running.
func childAttr(cred *syscall.Credential, _ syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Setpgid: true}
}
