package token

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const (
	keyFileExt   = ".pem"
	pemBlockType = "PRIVATE KEY" // PKCS#8
	keyFileMode  = 0o600
	keysDirMode  = 0o700
)

// listKIDs returns the kids of the key files in dir (every "*.pem" name
// without its extension). A missing dir has no kids. Other files, such as
// the refresh-token key, are not key files and are skipped.
func listKIDs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("token: reading keys dir %s: %w", dir, err)
	}
	var kids []string
	for _, e := range entries {
		name := e.Name()
		if e.Type().IsRegular() && strings.HasSuffix(name, keyFileExt) {
			kids = append(kids, strings.TrimSuffix(name, keyFileExt))
		}
	}
	return kids, nil
}

// readKeyFile loads the PKCS#8 private key stored for kid. Errors name the
// file, never its contents.
func readKeyFile(dir, kid string) (crypto.Signer, error) {
	path := filepath.Join(dir, kid+keyFileExt)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("token: reading key file %s: %w", path, err)
	}
	block, rest := pem.Decode(data)
	if block == nil || block.Type != pemBlockType || len(strings.TrimSpace(string(rest))) != 0 {
		return nil, fmt.Errorf("token: key file %s must hold exactly one PEM block of type %q", path, pemBlockType)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		// The parser's message describes the structure, not the key bytes.
		return nil, fmt.Errorf("token: key file %s is not a PKCS#8 private key: %w", path, err)
	}
	signer, ok := parsed.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("token: key file %s holds a key that cannot sign", path)
	}
	return signer, nil
}

// writeKeyFile stores key as <dir>/<kid>.pem, readable by the owner only.
// The file is written under a temporary name and renamed into place, so a
// server starting meanwhile never reads half a key. The kid's random part
// keeps the final name unique.
func writeKeyFile(dir, kid string, key crypto.Signer) error {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("token: encoding new key: %w", err)
	}
	if err := os.MkdirAll(dir, keysDirMode); err != nil {
		return fmt.Errorf("token: creating keys dir %s: %w", dir, err)
	}
	final := filepath.Join(dir, kid+keyFileExt)
	tmp := final + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, keyFileMode)
	if err != nil {
		return fmt.Errorf("token: creating key file %s: %w", tmp, err)
	}
	writeErr := pem.Encode(f, &pem.Block{Type: pemBlockType, Bytes: der})
	if writeErr == nil {
		writeErr = f.Sync()
	}
	if closeErr := f.Close(); writeErr == nil {
		writeErr = closeErr
	}
	if writeErr == nil {
		writeErr = os.Rename(tmp, final)
	}
	if writeErr != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("token: writing key file %s: %w", final, writeErr)
	}
	return nil
}
