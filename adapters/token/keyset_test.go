package token

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/ports/outbound"
)

func TestLoadKeySetGeneratesInDevelopment(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	ks, err := LoadKeySet(dir, EdDSA, true)
	if err != nil {
		t.Fatalf("LoadKeySet: %v", err)
	}
	if got := ks.KIDs(); len(got) != 1 || got[0] != ks.ActiveKID() {
		t.Fatalf("KIDs = %v, active %s", got, ks.ActiveKID())
	}
	dirInfo, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := dirInfo.Mode().Perm(); perm != 0o700 {
		t.Errorf("keys dir mode = %o, want 700", perm)
	}
	path := filepath.Join(dir, ks.ActiveKID()+".pem")
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %o, want 600", perm)
	}
	data, _ := os.ReadFile(path)
	if block, _ := pem.Decode(data); block == nil || block.Type != "PRIVATE KEY" {
		t.Errorf("key file is not a PKCS#8 PEM block")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries, want only the key (no temporary file left)", len(entries))
	}

	again, err := LoadKeySet(dir, EdDSA, true)
	if err != nil || again.ActiveKID() != ks.ActiveKID() {
		t.Fatalf("second load: %v, active %s; want the same key, not a new one", err, again.ActiveKID())
	}
}

func TestLoadKeySetWithoutKeyFailsNamingTheDir(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadKeySet(dir, ES256, false)
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("LoadKeySet = %v, want an error naming %s", err, dir)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("LoadKeySet without generate wrote %d files", len(entries))
	}
}

// A key of another algorithm (left by a change of jwt.algorithm) and the
// refresh-token key are skipped, not loaded and not fatal.
func TestLoadKeySetSkipsOtherAlgorithmsAndFiles(t *testing.T) {
	dir := t.TempDir()
	edKID, err := GenerateKey(dir, EdDSA)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "refresh.key"), []byte("not a pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	ecKID, err := GenerateKey(dir, ES256)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := LoadKeySet(dir, EdDSA, false)
	if err != nil {
		t.Fatalf("LoadKeySet: %v", err)
	}
	if got := ks.KIDs(); len(got) != 1 || got[0] != edKID {
		t.Fatalf("EdDSA KIDs = %v, want only %s (not the newer ES256 %s)", got, edKID, ecKID)
	}
}

func TestLoadKeySetRefusesBadFiles(t *testing.T) {
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(dir string) error{
		"name that is not a kid": func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "mykey.pem"), []byte("x"), 0o600)
		},
		"not PEM": func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "20260101T000000Z-0000abcd.pem"), []byte("garbage"), 0o600)
		},
		"RSA key under 2048 bits": func(dir string) error {
			return writeKeyFile(dir, "20260101T000000Z-0000abcd", keyFile{signer: weak})
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := setup(dir); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadKeySet(dir, RS256, true); err == nil {
				t.Fatal("LoadKeySet accepted it")
			}
		})
	}
}

func TestLoadKeySetRefusesHS256AndUnknownAlgorithms(t *testing.T) {
	for _, alg := range []string{HS256, "none", "PS256", ""} {
		if _, err := LoadKeySet(t.TempDir(), alg, true); err == nil {
			t.Errorf("LoadKeySet(%q) succeeded", alg)
		}
		if _, err := GenerateKey(t.TempDir(), alg); err == nil {
			t.Errorf("GenerateKey(%q) succeeded", alg)
		}
	}
}

func TestNewHMACKeySet(t *testing.T) {
	if _, err := NewHMACKeySet(testSecret[:31]); err == nil {
		t.Fatal("a 31-byte secret was accepted")
	}
	a, err := NewHMACKeySet(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewHMACKeySet(testSecret)
	c, _ := NewHMACKeySet([]byte("another-secret-another-secret-32"))
	if a.ActiveKID() != b.ActiveKID() || a.ActiveKID() == c.ActiveKID() {
		t.Fatalf("kids %s %s %s: want stable per secret and different across secrets", a.ActiveKID(), b.ActiveKID(), c.ActiveKID())
	}
	if strings.Contains(a.ActiveKID(), string(testSecret[:8])) {
		t.Fatal("kid reveals the secret")
	}
}

func TestRotationKeepsOldTokensValid(t *testing.T) {
	dir := t.TempDir()
	before, err := LoadKeySet(dir, EdDSA, true)
	if err != nil {
		t.Fatal(err)
	}
	oldToken := fixtureWith(t, before, dir).issue(t)

	newKID, err := GenerateKey(dir, EdDSA) // authd keys rotate
	if err != nil {
		t.Fatal(err)
	}
	after, err := LoadKeySet(dir, EdDSA, false)
	if err != nil {
		t.Fatal(err)
	}
	if after.ActiveKID() != newKID {
		t.Fatalf("active kid = %s, want the new %s", after.ActiveKID(), newKID)
	}
	f := fixtureWith(t, after, dir)
	if _, err := f.tokens.Verify(testContext, oldToken); err != nil {
		t.Fatalf("token of the old key after rotation: %v", err)
	}
	header, _ := decodeParts(t, f.issue(t))
	if header["kid"] != newKID {
		t.Fatalf("new token kid = %v, want %s", header["kid"], newKID)
	}
	jwks := after.JWKS()
	if len(jwks.Keys) != 2 || jwks.Keys[0].KeyID != newKID || jwks.Keys[1].KeyID != before.ActiveKID() {
		t.Fatalf("JWKS kids = %+v, want new then old", jwks.Keys)
	}

	// Removing the old key file retires it: its tokens stop verifying.
	if err := os.Remove(filepath.Join(dir, before.ActiveKID()+".pem")); err != nil {
		t.Fatal(err)
	}
	retired, err := LoadKeySet(dir, EdDSA, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fixtureWith(t, retired, dir).tokens.Verify(testContext, oldToken); !errors.Is(err, outbound.ErrTokenInvalid) {
		t.Fatalf("token of a removed key: Verify = %v, want ErrTokenInvalid", err)
	}
}

func TestNewKIDAlwaysSortsLast(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	first, err := newKID(now, nil)
	if err != nil || !strings.HasPrefix(first, "20260102T030405Z-") || !kidPattern.MatchString(first) {
		t.Fatalf("newKID = %q, %v", first, err)
	}
	// Same second, and a clock set back: the new kid still sorts after.
	second, _ := newKID(now, []string{first})
	third, _ := newKID(now.Add(-time.Hour), []string{second, first, "not-a-kid"})
	if !(first < second && second < third) {
		t.Fatalf("kids %s, %s, %s do not sort in creation order", first, second, third)
	}
}
