//go:build unix

package childproc

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ownerFile holds the pid of the test binary that made a server directory.
const ownerFile = "owner.pid"

// MakeDir creates a fresh directory prefix* under base and writes the
// owner file that lets RemoveStale tell when it has been abandoned.
func MakeDir(base, prefix string) (string, error) {
	dir, err := os.MkdirTemp(base, prefix)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return "", errors.Join(err, os.RemoveAll(dir))
	}
	return dir, nil
}

// RemoveStale deletes the directories prefix* under base left by test
// binaries that were killed before they could clean up (their server died
// with them). A directory without an owner file is not ours, or still
// being set up, and is kept; so is one whose owner is alive, or for which
// serverAlive (when not nil) reports a server still running.
func RemoveStale(base, prefix string, serverAlive func(dir string) bool) {
	dirs, _ := filepath.Glob(filepath.Join(base, prefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || Alive(pid) || (serverAlive != nil && serverAlive(dir)) {
			continue
		}
		_ = os.RemoveAll(dir)
	}
}
