package childproc

import "syscall"

// childAttr runs the child as cred (nil: the current user) in its own
// process group and asks the kernel to send it sig when the thread that
// started it exits: see Start.
func childAttr(cred *syscall.Credential, sig syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: sig}
}
