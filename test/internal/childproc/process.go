//go:build unix

package childproc

import (
	"context"
	"errors"
	"os/exec"
	"runtime"
	"syscall"
	"time"
)

// Process is a server started by Start, running until Stop.
type Process struct {
	cmd    *exec.Cmd
	stop   syscall.Signal
	exited chan struct{} // closed when the process has exited
}

// Start starts cmd in its own process group (a Ctrl-C meant for the tests
// does not reach it half-way). stop is the signal that shuts the server
// down: Stop sends it, and on Linux the kernel sends it too when the test
// binary dies. A Credential already in cmd.SysProcAttr is kept.
func Start(cmd *exec.Cmd, stop syscall.Signal) (*Process, error) {
	var cred *syscall.Credential
	if cmd.SysProcAttr != nil {
		cred = cmd.SysProcAttr.Credential
	}
	cmd.SysProcAttr = childAttr(cred, stop)
	p := &Process{cmd: cmd, stop: stop, exited: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		// The child gets the parent-death signal when the thread that
		// started it exits (see childAttr). Locking this goroutine to its
		// thread until the child exits keeps that thread alive as long as
		// the test binary is: a killed binary leaves no server behind.
		runtime.LockOSThread()
		err := cmd.Start()
		started <- err
		if err == nil {
			_ = cmd.Wait()
		}
		close(p.exited)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

// Exited is closed once the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// WaitReady calls ping every 20ms until it succeeds, the process exits or
// timeout passes; it then returns ping's last error.
func (p *Process) WaitReady(timeout time.Duration, ping func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		err := ping(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-p.exited:
			return errors.New("server exited")
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Stop sends the stop signal, kills the process if it has not exited
// within timeout, and waits for it to exit.
func (p *Process) Stop(timeout time.Duration) { p.Signal(p.stop, timeout) }

// Signal sends sig (a server's own shutdown signal, say), kills the
// process if it has not exited within timeout, and waits for it to exit.
func (p *Process) Signal(sig syscall.Signal, timeout time.Duration) {
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
	case <-time.After(timeout):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// Alive reports whether pid names a running process, even one of another
// user.
func Alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// Pid returns the process id; the process leads its own process group.
func (p *Process) Pid() int { return p.cmd.Process.Pid }
