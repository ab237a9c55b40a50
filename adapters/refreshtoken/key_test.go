package refreshtoken

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateKeyCreatesOnceAndReloads(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	key, err := LoadOrCreateKey(dir, true)
	if err != nil || len(key) != KeySize {
		t.Fatalf("LoadOrCreateKey = %d bytes, %v", len(key), err)
	}
	if bytes.Equal(key, make([]byte, KeySize)) {
		t.Fatal("key is all zeros")
	}
	info, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %o, want 600", perm)
	}
	again, err := LoadOrCreateKey(dir, true)
	if err != nil || !bytes.Equal(again, key) {
		t.Fatalf("second load gave another key (%v)", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("dir holds %d entries, want only %s", len(entries), KeyFileName)
	}
}

func TestLoadOrCreateKeyWithoutCreateFails(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadOrCreateKey(dir, false)
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("LoadOrCreateKey = %v, want an error naming %s", err, dir)
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFileName)); !os.IsNotExist(err) {
		t.Fatal("a key file was written although create was false")
	}
}

func TestLoadOrCreateKeyReadsAProvisionedKey(t *testing.T) {
	dir := t.TempDir()
	// What `openssl rand -base64 32` prints.
	provisioned := "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=\n"
	if err := os.WriteFile(filepath.Join(dir, KeyFileName), []byte(provisioned), 0o600); err != nil {
		t.Fatal(err)
	}
	key, err := LoadOrCreateKey(dir, false)
	if err != nil || len(key) != KeySize || key[0] != 0xab {
		t.Fatalf("LoadOrCreateKey = %x, %v", key, err)
	}
}

func TestLoadOrCreateKeyRefusesBadFiles(t *testing.T) {
	for name, content := range map[string]string{
		"empty":                         "",
		"too short":                     "q83vEjRWeJq83vEjRWeJqw==",
		"not base64 and secret-looking": "hunter2-hunter2-hunter2-hunter2-hunter2!",
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, KeyFileName), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := LoadOrCreateKey(dir, true)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if content != "" && strings.Contains(err.Error(), content) {
			t.Errorf("%s: error message contains the file's content", name)
		}
	}
}

// Instances starting together in development must agree on one key.
func TestLoadOrCreateKeyConcurrentCreatorsAgree(t *testing.T) {
	dir := t.TempDir()
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := LoadOrCreateKey(dir, true)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for i := range keys {
		if !bytes.Equal(keys[i], keys[0]) {
			t.Fatalf("creator %d got a different key", i)
		}
	}
}
