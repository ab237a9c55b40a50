//go:build unix

package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Cluster is a PostgreSQL server of one test, which the test can stop,
// start again and stall: the faults a database shows in production, made
// with a real server. The shared server of NewDatabaseURL serves every
// other test; a Cluster costs an initdb, so only fault tests use one.
type Cluster struct {
	t   testing.TB
	c   *cluster
	bin string

	mu      sync.Mutex
	stalled bool
}

// NewCluster starts a cluster with a database "authd", and removes it when
// the test ends (thawing it first if the test left it stalled). It needs
// the server binaries on the machine even when AUTHD_TEST_DATABASE_URL is
// set: an external server cannot be stopped.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	c, err := startCluster()
	if err != nil {
		t.Fatalf("pgtest: this test needs a PostgreSQL of its own: %v", err)
	}
	bin, err := findBinDir()
	if err != nil {
		t.Fatal(err)
	}
	pc := &Cluster{t: t, c: c, bin: bin}
	t.Cleanup(func() {
		pc.Resume()
		if err := c.stop(); err != nil {
			t.Errorf("pgtest: stop cluster: %v", err)
		}
	})
	db, err := sql.Open("pgx", c.url().String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE authd"); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	return pc
}

// URL is the postgres:// URL of the cluster's database "authd"; it stays
// the same across Stop and Start.
func (pc *Cluster) URL() string {
	u := pc.c.url()
	u.Path = "/authd"
	return u.String()
}

// Stop shuts the server down as an operator's "pg_ctl stop -m fast" does
// (SIGINT: open transactions are rolled back, clients disconnected) and
// waits until it has exited.
func (pc *Cluster) Stop() {
	pc.t.Helper()
	if pc.c.proc == nil {
		return
	}
	pc.Resume()
	pc.c.proc.Signal(syscall.SIGINT, 30*time.Second)
	pc.c.proc = nil
}

// Start starts the stopped server again on the same port and data.
func (pc *Cluster) Start() {
	pc.t.Helper()
	cred, err := serverCredential()
	if err != nil {
		pc.t.Fatal(err)
	}
	if err := pc.c.runOn(pc.bin, cred, pc.c.port); err != nil {
		pc.t.Fatalf("pgtest: restart: %v", err)
	}
}

// Stall freezes the server and every backend: connections stay open and
// nothing answers, as with a hung host. Backends lead sessions of their
// own (PostgreSQL calls setsid in each child), so the postmaster is
// stopped first, and then each of its children.
func (pc *Cluster) Stall() {
	pc.t.Helper()
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pid := pc.c.proc.Pid()
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		pc.t.Fatalf("pgtest: stall: %v", err)
	}
	for _, child := range childrenOf(pid) {
		_ = syscall.Kill(child, syscall.SIGSTOP)
	}
	pc.stalled = true
}

// Resume thaws a stalled server.
func (pc *Cluster) Resume() {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if !pc.stalled || pc.c.proc == nil {
		return
	}
	pid := pc.c.proc.Pid()
	for _, child := range childrenOf(pid) {
		_ = syscall.Kill(child, syscall.SIGCONT)
	}
	if err := syscall.Kill(pid, syscall.SIGCONT); err != nil {
		pc.t.Errorf("pgtest: resume: %v", err)
	}
	pc.stalled = false
}

// String names the cluster in test messages.
func (pc *Cluster) String() string { return fmt.Sprintf("pgtest cluster on port %d", pc.c.port) }

// childrenOf lists the processes whose parent is pid, from /proc.
func childrenOf(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces, so read after ")".
		rest := stat[bytes.LastIndexByte(stat, ')')+1:]
		fields := strings.Fields(string(rest))
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			out = append(out, child)
		}
	}
	return out
}
