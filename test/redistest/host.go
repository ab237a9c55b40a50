//go:build unix

package redistest

import (
	"errors"
	"os"
	"os/exec"
)

// tempPrefix starts the name of every server directory.
const tempPrefix = "authd-redistest-"

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
