//go:build unix

package childproc

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

func TestRemoveStaleKeepsLiveOwnersAndDropsDeadOnes(t *testing.T) {
	const prefix = "childproc-test-"
	base := t.TempDir()
	mk := func(name, owner string) string {
		dir := filepath.Join(base, prefix+name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if owner != "" {
			if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(owner), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	live := mk("live", "1") // pid 1 always exists
	dead := mk("dead", "999999999")
	foreign := mk("foreign", "") // no owner file: not ours to judge
	serving := mk("serving", "999999999")
	other := filepath.Join(base, "other-dead")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, ownerFile), []byte("999999999"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The owner died but its server still runs: the directory is in use.
	RemoveStale(base, prefix, func(dir string) bool { return dir == serving })
	for dir, wantKept := range map[string]bool{live: true, dead: false, foreign: true, serving: true, other: true} {
		_, err := os.Stat(dir)
		if kept := err == nil; kept != wantKept {
			t.Errorf("%s kept=%v, want %v", filepath.Base(dir), kept, wantKept)
		}
	}
}

func TestMakeDirWritesTheOwnerFile(t *testing.T) {
	base := t.TempDir()
	dir, err := MakeDir(base, "childproc-test-")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(dir) != base {
		t.Fatalf("directory %s is not under %s", dir, base)
	}
	b, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if err != nil || string(b) != strconv.Itoa(os.Getpid()) {
		t.Fatalf("owner file holds %q (err %v), want this pid %d", b, err, os.Getpid())
	}
	// A live owner protects its directory from RemoveStale.
	RemoveStale(base, "childproc-test-", nil)
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("RemoveStale removed the directory of a live test binary: %v", err)
	}
}

func TestStopSendsTheStopSignalThenWaitsForExit(t *testing.T) {
	// sh exits 0 on SIGTERM through its trap; any other death is not 0.
	// It touches ready once the trap is set.
	ready := filepath.Join(t.TempDir(), "ready")
	cmd := exec.Command("sh", "-c", "trap 'exit 0' TERM; touch \"$1\"; while :; do sleep 0.05; done", "sh", ready)
	p, err := Start(cmd, syscall.SIGTERM)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitReady(10*time.Second, func(context.Context) error { _, err := os.Stat(ready); return err }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Exited():
		t.Fatal("Exited is closed while the process runs")
	default:
	}
	if pgid, err := syscall.Getpgid(cmd.Process.Pid); err != nil || pgid != cmd.Process.Pid {
		t.Errorf("child process group = %d (err %v), want its own %d", pgid, err, cmd.Process.Pid)
	}
	p.Stop(10 * time.Second)
	select {
	case <-p.Exited():
	default:
		t.Fatal("Stop returned before the process exited")
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code %d, want 0 from the SIGTERM trap", code)
	}
}

func TestStopKillsAProcessThatIgnoresTheSignal(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready")
	cmd := exec.Command("sh", "-c", "trap '' TERM; touch \"$1\"; while :; do sleep 0.05; done", "sh", ready)
	p, err := Start(cmd, syscall.SIGTERM)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitReady(10*time.Second, func(context.Context) error { _, err := os.Stat(ready); return err }); err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	p.Stop(200 * time.Millisecond)
	if elapsed := time.Since(begin); elapsed < 200*time.Millisecond {
		t.Errorf("Stop returned after %v, before its timeout", elapsed)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("process ended with %v, want killed by SIGKILL", cmd.ProcessState)
	}
}

func TestStartKeepsTheCredential(t *testing.T) {
	cred := &syscall.Credential{Uid: uint32(os.Getuid()), Gid: uint32(os.Getgid())}
	cmd := exec.Command("true")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	p, err := Start(cmd, syscall.SIGKILL)
	if err != nil {
		t.Fatal(err)
	}
	<-p.Exited()
	if cmd.SysProcAttr.Credential != cred || !cmd.SysProcAttr.Setpgid {
		t.Fatalf("SysProcAttr = %+v, want the given credential and Setpgid", cmd.SysProcAttr)
	}
}

func TestStartReportsAMissingProgram(t *testing.T) {
	if _, err := Start(exec.Command(filepath.Join(t.TempDir(), "missing")), syscall.SIGKILL); err == nil {
		t.Fatal("Start of a missing program succeeded")
	}
}

func TestWaitReady(t *testing.T) {
	ping := errors.New("not yet")
	t.Run("returns once ping succeeds", func(t *testing.T) {
		p := running(t)
		calls := 0
		err := p.WaitReady(10*time.Second, func(context.Context) error {
			if calls++; calls < 3 {
				return ping
			}
			return nil
		})
		if err != nil || calls != 3 {
			t.Fatalf("err %v after %d calls, want nil after 3", err, calls)
		}
	})
	t.Run("gives ping's error at the timeout", func(t *testing.T) {
		p := running(t)
		if err := p.WaitReady(100*time.Millisecond, func(context.Context) error { return ping }); !errors.Is(err, ping) {
			t.Fatalf("err %v, want %v", err, ping)
		}
	})
	t.Run("stops when the process exits", func(t *testing.T) {
		p, err := Start(exec.Command("true"), syscall.SIGKILL)
		if err != nil {
			t.Fatal(err)
		}
		err = p.WaitReady(10*time.Second, func(context.Context) error { return ping })
		if err == nil || err.Error() != "server exited" {
			t.Fatalf("err %v, want server exited", err)
		}
	})
}

// running starts a process that runs until the test ends.
func running(t *testing.T) *Process {
	t.Helper()
	p, err := Start(exec.Command("sleep", "60"), syscall.SIGKILL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Stop(time.Second) })
	return p
}

func TestAlive(t *testing.T) {
	if !Alive(os.Getpid()) || !Alive(1) {
		t.Fatal("Alive is false for this process or pid 1")
	}
	if Alive(999999999) {
		t.Fatal("Alive is true for a pid that cannot exist")
	}
}

func TestFreePortCanBeListenedOn(t *testing.T) {
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	if port <= 0 {
		t.Fatalf("port %d", port)
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("listen on the free port: %v", err)
	}
	_ = l.Close()
}

func TestTail(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"abcdef", "def"}, {"abc", "abc"}, {"ab", "ab"}, {"", ""},
	} {
		if got := Tail([]byte(tc.in), 3); !bytes.Equal(got, []byte(tc.want)) {
			t.Errorf("Tail(%q, 3) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
