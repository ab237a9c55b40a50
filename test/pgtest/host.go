//go:build unix

package pgtest

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/authd/authd/test/internal/childproc"
)

// tempPrefix starts the name of every cluster directory.
const tempPrefix = "authd-pgtest-"

// findBinDir returns the directory holding initdb and postgres: the one on
// PATH, else the newest /usr/lib/postgresql/N/bin (Debian, Ubuntu), else
// /usr/pgsql-N/bin (RHEL) or /usr/local/pgsql/bin (built from source).
func findBinDir() (string, error) {
	var dirs []string
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dirs = append(dirs, filepath.Dir(p))
	}
	dirs = append(dirs, newestFirst("/usr/lib/postgresql/*/bin")...)
	dirs = append(dirs, newestFirst("/usr/pgsql-*/bin")...)
	dirs = append(dirs, "/usr/local/pgsql/bin")
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", fmt.Errorf("initdb and postgres not found on PATH, in /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin " +
		"or /usr/local/pgsql/bin: install the PostgreSQL server (e.g. apt-get install postgresql) " +
		"or set " + EnvDatabaseURL + " to a server's postgres:// URL")
}

// newestFirst globs pattern, whose one '*' stands for a version (as in
// /usr/lib/postgresql/*/bin or /usr/pgsql-*/bin), and orders the matches by
// that version, highest first.
func newestFirst(pattern string) []string {
	dirs, _ := filepath.Glob(pattern)
	star := slices.IndexFunc(strings.Split(pattern, "/"), func(e string) bool { return strings.Contains(e, "*") })
	version := func(dir string) int {
		parts := strings.Split(dir, "/")
		if star < 0 || star >= len(parts) {
			return 0
		}
		digits := strings.TrimLeftFunc(parts[star], func(r rune) bool { return r < '0' || r > '9' })
		major, _, _ := strings.Cut(digits, ".")
		v, _ := strconv.Atoi(major)
		return v
	}
	slices.SortStableFunc(dirs, func(a, b string) int { return cmp.Compare(version(b), version(a)) })
	return dirs
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// serverCredential returns the user to run initdb and postgres as: nil for
// the current user, or, when running as root (which PostgreSQL refuses),
// the postgres system user if there is one and nobody otherwise.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			continue
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as")
}

// tempBase is where the cluster directory goes: the usual temporary
// directory, unless another user must reach it and cannot.
func tempBase(otherUser bool) string {
	base := os.TempDir()
	if otherUser && !reachableByAll(base) {
		return "/tmp"
	}
	return base
}

// reachableByAll reports whether every directory on the way to dir can be
// traversed by any user.
func reachableByAll(dir string) bool {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}

// serverAlive reports whether the postmaster.pid of a cluster names a
// running process.
func serverAlive(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid"))
	if err != nil {
		return false
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	return err == nil && childproc.Alive(pid)
}
