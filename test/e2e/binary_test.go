package e2e

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/authd/authd/test/internal/childproc"
	"github.com/authd/authd/test/pgtest"
)

// buildAuthd compiles the real authd command into a temporary directory
// and returns the binary's path.
func buildAuthd(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "authd")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/authd/authd/cmd/authd")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is the authd binary running as a child of the test.
type process struct {
	*server
	bin  string
	env  map[string]string
	cmd  *exec.Cmd
	proc *childproc.Process
	log  *lockedBuffer
}

// lockedBuffer collects the child's log lines while the test reads them.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startBinary runs `authd serve` from bin with baseEnv overlaid with env, on
// a fresh PostgreSQL database and keys directory unless env names them, and
// waits until it answers /readyz. The address comes from its "listening"
// log line, so the port can be chosen by the kernel.
func startBinary(t *testing.T, bin string, env map[string]string) *process {
	t.Helper()
	vars := baseEnv()
	vars["AUTHD_LOG_LEVEL"] = "info"
	vars["AUTHD_LOG_FORMAT"] = "json"
	maps.Copy(vars, env)
	if _, ok := vars[envDatabaseURL]; !ok {
		vars[envDatabaseURL] = pgtest.NewDatabaseURL(t)
	}
	if _, ok := vars[envKeysDir]; !ok {
		vars[envKeysDir] = t.TempDir()
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	// A writer, not a pipe: Wait then waits until every line is copied.
	p := &process{bin: bin, env: vars, cmd: cmd, log: &lockedBuffer{}}
	cmd.Stderr = p.log
	var err error
	p.proc, err = childproc.Start(cmd, syscall.SIGKILL)
	if err != nil {
		t.Fatalf("start authd: %v", err)
	}
	t.Cleanup(func() {
		p.proc.Stop(5 * time.Second)
		if t.Failed() {
			t.Logf("authd log:\n%s", childproc.Tail([]byte(p.log.String()), 8<<10))
		}
	})
	deadline := time.After(lifecycleTimeout)
	for {
		if addr := listeningAddr(p.log.String()); addr != "" {
			p.server = &server{URL: "http://" + addr, client: &http.Client{Timeout: 20 * time.Second}}
			break
		}
		select {
		case <-p.proc.Exited():
			t.Fatalf("authd exited before listening:\n%s", p.log.String())
		case <-deadline:
			t.Fatalf("authd did not listen within %s:\n%s", lifecycleTimeout, p.log.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return p
}

// listeningAddr finds the address of the "listening" log line.
func listeningAddr(log string) string {
	for line := range strings.Lines(log) {
		var entry struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "listening" {
			return entry.Addr
		}
	}
	return ""
}

// signal sends sig to the process.
func (p *process) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %s: %v", sig, err)
	}
}

// exitCode waits at most timeout for the process to exit and returns its
// exit code.
func (p *process) exitCode(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-p.proc.Exited():
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(timeout):
		t.Fatalf("authd still running %s after the signal", timeout)
		return -1
	}
}

// run runs another authd command with the server's environment, its
// http.addr the address the server really listens on, and returns the
// command's exit code and output.
func (p *process) run(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(p.bin, args...)
	cmd.Env = append(slices.Clone(p.cmd.Env), "AUTHD_HTTP_ADDR="+strings.TrimPrefix(p.URL, "http://"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode(), string(out)
		}
		t.Fatalf("authd %v: %v", args, err)
	}
	return 0, string(out)
}
