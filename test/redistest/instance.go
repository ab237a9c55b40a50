//go:build unix

package redistest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// instance is a redis-server running from a temporary directory as a child
// process of the test binary.
type instance struct {
	bin    string
	dir    string   // the working directory and server.log
	args   []string // extra server arguments
	port   int      // kept across restarts, so clients find the server again
	cmd    *exec.Cmd
	exited chan struct{} // closed when the server process has exited
}

// newInstance starts a server on a free loopback port. args are extra
// redis-server arguments.
func newInstance(args ...string) (*instance, error) {
	bin, err := findServer()
	if err != nil {
		return nil, err
	}
	base := os.TempDir()
	removeStale(base)
	dir, err := os.MkdirTemp(base, tempPrefix)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	in := &instance{bin: bin, dir: dir, args: args}
	// A port picked free can be taken before the server binds it: retry.
	for range 3 {
		if in.port, err = freePort(); err != nil {
			break
		}
		if err = in.run(); err == nil {
			return in, nil
		}
	}
	return nil, errors.Join(err, os.RemoveAll(dir))
}

func (in *instance) url() *url.URL {
	return &url.URL{Scheme: "redis", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(in.port)), Path: "/0"}
}

// run starts the server on in.port and waits until it answers PING.
func (in *instance) run() error {
	logPath := filepath.Join(in.dir, "server.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close() // the child has its own copy
	// A throwaway server keeps nothing: no snapshots, no append-only file.
	args := append([]string{"--save", "", "--appendonly", "no", "--port", strconv.Itoa(in.port),
		"--bind", "127.0.0.1", "--dir", in.dir}, in.args...)
	cmd := exec.Command(in.bin, args...)
	cmd.Dir = in.dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = childAttr()
	started, exited := make(chan error, 1), make(chan struct{})
	go func() {
		// The server gets a signal when the thread that started it
		// exits (see childAttr). Locking this goroutine to its thread
		// until the server exits keeps that thread alive as long as the
		// test binary is: a killed binary leaves no server behind.
		runtime.LockOSThread()
		err := cmd.Start()
		started <- err
		if err == nil {
			_ = cmd.Wait()
		}
		close(exited)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	in.cmd, in.exited = cmd, exited
	if err := in.waitReady(10 * time.Second); err != nil {
		in.halt()
		out, _ := os.ReadFile(logPath)
		return fmt.Errorf("redis-server did not become ready: %w\n%s", err, tail(out, 2000))
	}
	return nil
}

func (in *instance) waitReady(timeout time.Duration) error {
	c := redis.NewClient(&redis.Options{Addr: in.url().Host, MaxRetries: -1})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		err := c.Ping(ctx).Err()
		if err == nil {
			return nil
		}
		select {
		case <-in.exited:
			return errors.New("server exited")
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// halt kills the server, as a crash or a lost host would, and waits for it
// to exit. Nothing is lost that a throwaway server should have kept.
func (in *instance) halt() {
	if in.cmd == nil {
		return
	}
	_ = in.cmd.Process.Kill()
	<-in.exited
	in.cmd = nil
}

// remove halts the server and deletes its directory.
func (in *instance) remove() error {
	in.halt()
	return os.RemoveAll(in.dir)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// processAlive reports whether pid names a running process.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
