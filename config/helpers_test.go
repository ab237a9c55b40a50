package config

import (
	"os"
	"path/filepath"
	"testing"
)

// env returns a lookup over a fixed map, standing in for the process environment.
func env(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

// writeFile writes a config file into a temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// mustLoad loads or fails the test.
func mustLoad(t *testing.T, file string, vars map[string]string) *Config {
	t.Helper()
	cfg, err := LoadFrom(file, env(vars))
	if err != nil {
		t.Fatalf("LoadFrom: %v", err)
	}
	return cfg
}

// declaredKeys lists the keys of the settings table in declaration order.
func declaredKeys() []string {
	var keys []string
	for _, s := range (&Config{}).settings() {
		keys = append(keys, s.key)
	}
	return keys
}
