package token

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func jwksKIDs(j JWKS) []string {
	var out []string
	for _, k := range j.Keys {
		out = append(out, k.KeyID)
	}
	return out
}

// A rotated key is published as soon as it is loaded, signs only from its
// activation time, and the key it replaces stays published and verifying
// until every token it signed has expired.
func TestRotatedKeyIsPublishedBeforeItSigns(t *testing.T) {
	dir := t.TempDir()
	ring, err := NewKeyRing(dir, EdDSA, true)
	if err != nil {
		t.Fatal(err)
	}
	f := fixtureWith(t, ring.KeySet(), dir)
	tokens, err := NewIssuer(Config{Algorithm: EdDSA, Issuer: "authd", Audience: "authd-api", TTL: 15 * time.Minute, Leeway: 30 * time.Second},
		ring, f.clock, &seqIDs{})
	if err != nil {
		t.Fatal(err)
	}
	oldKID := ring.KeySet().ActiveKID()
	issue := func() (string, string) {
		tok, _, err := tokens.Issue(testContext, testClaims)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := decodeParts(t, tok)
		return tok, h["kid"].(string)
	}

	activates := start.Add(6 * time.Minute)
	newKID, err := RotateKey(dir, EdDSA, activates)
	if err != nil {
		t.Fatal(err)
	}
	if changed, err := ring.Reload(); err != nil || !changed {
		t.Fatalf("Reload = %v, %v; want a change", changed, err)
	}
	retain := 15*time.Minute + 30*time.Second
	if got := jwksKIDs(ring.KeySet().JWKSAt(f.clock.Now(), retain)); !slices.Equal(got, []string{newKID, oldKID}) {
		t.Fatalf("JWKS before activation = %v, want the new key published beside the old", got)
	}
	oldToken, kid := issue()
	if kid != oldKID {
		t.Fatalf("signed with %s before the activation time, want the old key %s", kid, oldKID)
	}

	f.clock.Set(activates.Add(-time.Second))
	if _, kid := issue(); kid != oldKID {
		t.Fatalf("signed with %s a second before activation", kid)
	}
	f.clock.Set(activates)
	if _, kid := issue(); kid != newKID {
		t.Fatalf("signed with %s at the activation time, want %s", kid, newKID)
	}
	if _, err := tokens.Verify(testContext, oldToken); err != nil {
		t.Fatalf("a token of the old key after activation: %v", err)
	}

	// The old key is kept until every token it signed has expired.
	f.clock.Set(activates.Add(retain - time.Second))
	if got := jwksKIDs(ring.KeySet().JWKSAt(f.clock.Now(), retain)); !slices.Equal(got, []string{newKID, oldKID}) {
		t.Fatalf("JWKS within the retention = %v", got)
	}
	if pruned, err := Prune(dir, EdDSA, f.clock.Now(), retain); err != nil || len(pruned) != 0 {
		t.Fatalf("Prune within the retention removed %v (%v)", pruned, err)
	}
	f.clock.Set(activates.Add(retain))
	if got := jwksKIDs(ring.KeySet().JWKSAt(f.clock.Now(), retain)); !slices.Equal(got, []string{newKID}) {
		t.Fatalf("JWKS after the retention = %v, want only the new key", got)
	}
	pruned, err := Prune(dir, EdDSA, f.clock.Now(), retain)
	if err != nil || !slices.Equal(pruned, []string{oldKID}) {
		t.Fatalf("Prune = %v, %v; want the old key", pruned, err)
	}
	if _, err := os.Stat(filepath.Join(dir, oldKID+".pem")); !os.IsNotExist(err) {
		t.Fatalf("the pruned key file is still there: %v", err)
	}
	if changed, err := ring.Reload(); err != nil || !changed || !slices.Equal(ring.KeySet().KIDs(), []string{newKID}) {
		t.Fatalf("Reload after prune: %v %v, kids %v", changed, err, ring.KeySet().KIDs())
	}
	// Prune never takes the signing key.
	if pruned, err := Prune(dir, EdDSA, f.clock.Now().Add(1000*time.Hour), retain); err != nil || len(pruned) != 0 {
		t.Fatalf("Prune removed the last key: %v %v", pruned, err)
	}
}

// The activation time travels in the key file, so every instance agrees.
func TestActivationTimeIsStoredInTheKeyFile(t *testing.T) {
	dir := t.TempDir()
	activates := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	kid, err := RotateKey(dir, ES256, activates)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, kid+".pem"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "Activates-At: 2026-05-01T12:00:00Z") {
		t.Fatalf("key file has no activation header:\n%s", strings.SplitN(string(data), "\n", 3)[:2])
	}
	ks, err := LoadKeySet(dir, ES256, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := ks.keys[kid].activates; !got.Equal(activates) {
		t.Fatalf("loaded activation %v, want %v", got, activates)
	}
	// Only pending keys: the first to activate signs rather than none.
	if ks.signer(activates.Add(-time.Hour)).kid != kid {
		t.Fatal("a set whose keys are all pending has no signer")
	}

	bad := strings.Replace(string(data), "Activates-At", "Activates-On", 1)
	if err := os.WriteFile(filepath.Join(dir, kid+".pem"), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKeySet(dir, ES256, false); err == nil || !strings.Contains(err.Error(), "unknown header") {
		t.Fatalf("LoadKeySet with an unknown header = %v", err)
	}
}

// A reload that fails keeps the keys in force.
func TestFailedReloadKeepsTheKeys(t *testing.T) {
	dir := t.TempDir()
	ring, err := NewKeyRing(dir, EdDSA, true)
	if err != nil {
		t.Fatal(err)
	}
	before := ring.KeySet()
	if changed, err := ring.Reload(); err != nil || changed {
		t.Fatalf("Reload of an unchanged dir = %v, %v", changed, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "20990101T000000Z-0000abcd.pem"), []byte("half a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ring.Reload(); err == nil {
		t.Fatal("Reload accepted a broken key file")
	}
	if ring.KeySet().ActiveKID() != before.ActiveKID() || len(ring.KeySet().KIDs()) != 1 {
		t.Fatal("a failed reload changed the keys in force")
	}
	for _, e := range mustReadDir(t, dir) {
		if e != "20990101T000000Z-0000abcd.pem" {
			if err := os.Remove(filepath.Join(dir, e)); err != nil {
				t.Fatal(err)
			}
		}
	}
	_ = os.Remove(filepath.Join(dir, "20990101T000000Z-0000abcd.pem"))
	if _, err := ring.Reload(); err == nil {
		t.Fatal("Reload accepted a directory without keys")
	}
	if ring.KeySet() != before {
		t.Fatal("an emptied directory took the keys away")
	}
}

func mustReadDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
