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
	"time"
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

// activationHeader is the PEM header (RFC 1421 style) that stores when a
// rotated key starts signing, in RFC 3339. Kept in the key file itself, it
// appears atomically with the key: no instance can load the key without it.
const activationHeader = "Activates-At"

// keyFile is what a key file holds: the key and, for a rotated key, its
// activation time (zero: it signs as soon as it is loaded).
type keyFile struct {
	signer    crypto.Signer
	activates time.Time
}

// readKeyFile loads the PKCS#8 private key stored for kid. Errors name the
// file, never its contents.
func readKeyFile(dir, kid string) (keyFile, error) {
	path := filepath.Join(dir, kid+keyFileExt)
	data, err := os.ReadFile(path)
	if err != nil {
		return keyFile{}, fmt.Errorf("token: reading key file %s: %w", path, err)
	}
	block, rest := pem.Decode(data)
	if block == nil || block.Type != pemBlockType || len(strings.TrimSpace(string(rest))) != 0 {
		return keyFile{}, fmt.Errorf("token: key file %s must hold exactly one PEM block of type %q", path, pemBlockType)
	}
	var out keyFile
	for name, value := range block.Headers {
		if name != activationHeader {
			return keyFile{}, fmt.Errorf("token: key file %s has an unknown header %q", path, name)
		}
		if out.activates, err = time.Parse(time.RFC3339, value); err != nil {
			return keyFile{}, fmt.Errorf("token: key file %s: %s is not an RFC 3339 time", path, activationHeader)
		}
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		// The parser's message describes the structure, not the key bytes.
		return keyFile{}, fmt.Errorf("token: key file %s is not a PKCS#8 private key: %w", path, err)
	}
	signer, ok := parsed.(crypto.Signer)
	if !ok {
		return keyFile{}, fmt.Errorf("token: key file %s holds a key that cannot sign", path)
	}
	out.signer = signer
	return out, nil
}

// writeKeyFile stores key as <dir>/<kid>.pem, readable by the owner only.
// The file is written under a temporary name and renamed into place, so a
// server starting or reloading meanwhile never reads half a key. The kid's
// random part keeps the final name unique.
func writeKeyFile(dir, kid string, key keyFile) error {
	der, err := x509.MarshalPKCS8PrivateKey(key.signer)
	if err != nil {
		return fmt.Errorf("token: encoding new key: %w", err)
	}
	block := &pem.Block{Type: pemBlockType, Bytes: der}
	if !key.activates.IsZero() {
		block.Headers = map[string]string{activationHeader: key.activates.UTC().Format(time.RFC3339)}
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
	writeErr := pem.Encode(f, block)
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

// removeKeyFile deletes the key file of kid.
func removeKeyFile(dir, kid string) error {
	path := filepath.Join(dir, kid+keyFileExt)
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("token: removing key file %s: %w", path, err)
	}
	return nil
}
