package refreshtoken

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// KeyFileName is the refresh-token key's file in the keys dir. It holds the
// key in standard base64 on one line, the form `openssl rand -base64 32`
// prints, so an operator can provision it with that command.
const KeyFileName = "refresh.key"

// LoadOrCreateKey reads the refresh-token key from dir. When the file does
// not exist it is created with a new random key if create is set
// (development) and is an error otherwise (production, where every instance
// must share one provisioned key). Errors name the file, never the key.
func LoadOrCreateKey(dir string, create bool) ([]byte, error) {
	path := filepath.Join(dir, KeyFileName)
	key, err := readKey(path)
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		return key, err
	}
	if !create {
		return nil, fmt.Errorf("refreshtoken: no refresh-token key at %s (create one with `authd keys generate`)", path)
	}
	if err := writeNewKey(dir, path); err != nil {
		return nil, err
	}
	return readKey(path)
}

func readKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("refreshtoken: reading %s: %w", path, err)
	}
	key, err := base64.StdEncoding.Strict().DecodeString(string(bytes.TrimSpace(data)))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("refreshtoken: %s must hold %d bytes in base64", path, KeySize)
	}
	return key, nil
}

// writeNewKey writes a fresh key readable by the owner only. It goes to a
// temporary file first and is hard-linked into place, which fails when the
// file already exists: of two instances starting at once, both end up
// reading the one key that won.
func writeNewKey(dir, path string) error {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("refreshtoken: generating a key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("refreshtoken: creating keys dir %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, KeyFileName+".*.tmp") // mode 0600
	if err != nil {
		return fmt.Errorf("refreshtoken: creating a key file in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Link(tmp.Name(), path)
	}
	if err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("refreshtoken: writing %s: %w", path, err)
	}
	return nil
}
