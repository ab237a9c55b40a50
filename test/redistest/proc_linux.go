package redistest

import "syscall"

// childAttr runs the server in its own process group (a Ctrl-C meant for
// the tests does not reach it half-way) and asks the kernel to kill it when
// the thread that started it exits: see instance.run.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
