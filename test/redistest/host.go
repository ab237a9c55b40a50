//go:build unix

package redistest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

const (
	tempPrefix = "authd-redistest-"
	ownerFile  = "owner.pid" // pid of the test binary that made the directory
)

// findServer returns the path of redis-server: the one on PATH, else the
// Debian/Ubuntu and Homebrew locations.
func findServer() (string, error) {
	if p, err := exec.LookPath("redis-server"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 {
			return p, nil
		}
	}
	return "", errors.New("redis-server not found on PATH or in /usr/bin, /usr/local/bin: install it " +
		"(apt-get install redis-server, dnf install redis, brew install redis) " +
		"or set " + EnvURL + " to a server's redis:// URL")
}

// removeStale deletes server directories left by test binaries that were
// killed before they could clean up (their server died with them).
func removeStale(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, tempPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue // not ours, or still being set up
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || processAlive(pid) {
			continue
		}
		_ = os.RemoveAll(dir)
	}
}
