//go:build unix

package pgtest

import (
	"database/sql"
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

	"github.com/authd/authd/test/internal/childproc"
)

// cluster is a PostgreSQL server running from a temporary directory as a
// child process of the test binary.
type cluster struct {
	dir  string // data/, the unix socket, server.log
	port int
	proc *childproc.Process // nil when the server is not running
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
	childproc.RemoveStale(base, tempPrefix, serverAlive)
	dir, err := childproc.MakeDir(base, tempPrefix)
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

// init runs initdb.
func (c *cluster) init(bin string, cred *syscall.Credential) error {
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

// run starts the server on a free port and waits until it accepts
// connections.
func (c *cluster) run(bin string, cred *syscall.Credential) error {
	port, err := childproc.FreePort()
	if err != nil {
		return err
	}
	return c.runOn(bin, cred, port)
}

// runOn starts the server on port and waits until it accepts connections.
func (c *cluster) runOn(bin string, cred *syscall.Credential, port int) error {
	logPath := filepath.Join(c.dir, "server.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
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
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	// SIGQUIT is PostgreSQL's immediate shutdown: the data is thrown away
	// anyway.
	proc, err := childproc.Start(cmd, syscall.SIGQUIT)
	if err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	c.port, c.proc = port, proc
	if err := c.waitReady(30 * time.Second); err != nil {
		_ = c.halt()
		out, _ := os.ReadFile(logPath)
		return fmt.Errorf("postgres did not become ready: %w\n%s", err, childproc.Tail(out, 2000))
	}
	return nil
}

func (c *cluster) waitReady(timeout time.Duration) error {
	db, err := sql.Open("pgx", c.url().String())
	if err != nil {
		return err
	}
	defer db.Close()
	return c.proc.WaitReady(timeout, db.PingContext)
}

// halt stops the server at once (an immediate shutdown) and waits for it
// to exit.
func (c *cluster) halt() error {
	if c.proc == nil {
		return nil
	}
	c.proc.Stop(10 * time.Second)
	c.proc = nil
	return nil
}

// stop halts the server and removes its directory.
func (c *cluster) stop() error {
	return errors.Join(c.halt(), os.RemoveAll(c.dir))
}
