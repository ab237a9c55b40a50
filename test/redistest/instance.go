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
	"strconv"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/authd/authd/test/internal/childproc"
)

// instance is a redis-server running from a temporary directory as a child
// process of the test binary.
type instance struct {
	bin  string
	dir  string             // the working directory and server.log
	args []string           // extra server arguments
	port int                // kept across restarts, so clients find the server again
	proc *childproc.Process // nil when the server is not running
}

// newInstance starts a server on a free loopback port. args are extra
// redis-server arguments.
func newInstance(args ...string) (*instance, error) {
	bin, err := findServer()
	if err != nil {
		return nil, err
	}
	base := os.TempDir()
	childproc.RemoveStale(base, tempPrefix, nil)
	dir, err := childproc.MakeDir(base, tempPrefix)
	if err != nil {
		return nil, err
	}
	in := &instance{bin: bin, dir: dir, args: args}
	// A port picked free can be taken before the server binds it: retry.
	for range 3 {
		if in.port, err = childproc.FreePort(); err != nil {
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
	// The server is killed, as a crash would; on Linux also when the test
	// binary dies.
	proc, err := childproc.Start(cmd, syscall.SIGKILL)
	if err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	in.proc = proc
	if err := in.waitReady(10 * time.Second); err != nil {
		in.halt()
		out, _ := os.ReadFile(logPath)
		return fmt.Errorf("redis-server did not become ready: %w\n%s", err, childproc.Tail(out, 2000))
	}
	return nil
}

func (in *instance) waitReady(timeout time.Duration) error {
	c := redis.NewClient(&redis.Options{Addr: in.url().Host, MaxRetries: -1})
	defer c.Close()
	return in.proc.WaitReady(timeout, func(ctx context.Context) error { return c.Ping(ctx).Err() })
}

// halt kills the server, as a crash or a lost host would, and waits for it
// to exit. Nothing is lost that a throwaway server should have kept.
func (in *instance) halt() {
	if in.proc == nil {
		return
	}
	in.proc.Stop(10 * time.Second) // SIGKILL: the timeout never comes into play
	in.proc = nil
}

// remove halts the server and deletes its directory.
func (in *instance) remove() error {
	in.halt()
	return os.RemoveAll(in.dir)
}
