//go:build unix

package pgtest

import (
	"context"
	"database/sql"
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
)

// cluster is a PostgreSQL server running from a temporary directory as a
// child process of the test binary.
type cluster struct {
	dir    string // data/, the unix socket, server.log
	port   int
	cmd    *exec.Cmd
	exited chan struct{} // closed when the server process has exited
}

func (c *cluster) url() *url.URL {
	return &url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/postgres",
		RawQuery: "sslmode=disable",
	}
}

// startCluster runs initdb in a fresh temporary directory and starts the
// server on a free loopback port.
func startCluster() (*cluster, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	base := tempBase(cred != nil)
	removeStale(base)
	dir, err := os.MkdirTemp(base, tempPrefix)
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir}
	if err := c.init(bin, cred); err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	// A port picked free can be taken before the server binds it: retry.
	for range 3 {
		if err = c.run(bin, cred); err == nil {
			return c, nil
		}
	}
	return nil, errors.Join(err, os.RemoveAll(dir))
}

// init writes the owner file and runs initdb.
func (c *cluster) init(bin string, cred *syscall.Credential) error {
	if err := os.WriteFile(filepath.Join(c.dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return err
	}
	if cred != nil {
		// initdb and postgres refuse to run as root: the directory
		// goes to the unprivileged user they run as.
		if err := os.Chown(c.dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return err
		}
	}
	cmd := exec.Command(filepath.Join(bin, "initdb"),
		"-D", filepath.Join(c.dir, "data"), "-A", "trust", "-U", "postgres",
		"-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions")
	cmd.Dir = c.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb failed: %w\n%s", err, out)
	}
	return nil
}

// run starts the server and waits until it accepts connections.
func (c *cluster) run(bin string, cred *syscall.Credential) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	logPath := filepath.Join(c.dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close() // the child has its own copy
	// Durability is pointless for a throwaway cluster; speed is not.
	cmd := exec.Command(filepath.Join(bin, "postgres"),
		"-D", filepath.Join(c.dir, "data"), "-p", strconv.Itoa(port), "-k", c.dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=300")
	cmd.Dir = c.dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = childAttr(cred)
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
		return fmt.Errorf("start postgres: %w", err)
	}
	c.port, c.cmd, c.exited = port, cmd, exited
	if err := c.waitReady(30 * time.Second); err != nil {
		_ = c.halt()
		out, _ := os.ReadFile(logPath)
		return fmt.Errorf("postgres did not become ready: %w\n%s", err, tail(out, 2000))
	}
	return nil
}

func (c *cluster) waitReady(timeout time.Duration) error {
	db, err := sql.Open("pgx", c.url().String())
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		if err = db.PingContext(ctx); err == nil {
			return nil
		}
		select {
		case <-c.exited:
			return errors.New("server exited")
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// halt stops the server at once (an immediate shutdown: the data is
// thrown away anyway) and waits for it to exit.
func (c *cluster) halt() error {
	if c.cmd == nil {
		return nil
	}
	_ = c.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
	c.cmd = nil
	return nil
}

// stop halts the server and removes its directory.
func (c *cluster) stop() error {
	return errors.Join(c.halt(), os.RemoveAll(c.dir))
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
