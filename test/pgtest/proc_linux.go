package pgtest

import "syscall"

// childAttr runs the server as cred in its own process group (a Ctrl-C
// meant for the tests does not reach it half-way) and asks the kernel to
// send it SIGQUIT, PostgreSQL's immediate shutdown, when the thread that
// started it exits: see cluster.run.
func childAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: syscall.SIGQUIT}
}
