package e2e

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// jwtPart decodes segment i (0 header, 1 claims) of a compact JWT without
// verifying anything: what any holder of the token can read.
func jwtPart(t testing.TB, token string, i int) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %d segments", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatalf("segment %d is not base64url: %v", i, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("segment %d is not a JSON object: %v", i, err)
	}
	return out
}

func jwtHeader(t testing.TB, token string) map[string]any { return jwtPart(t, token, 0) }
func jwtClaims(t testing.TB, token string) map[string]any { return jwtPart(t, token, 1) }

// sessionID is the sid claim of an access token.
func sessionID(t testing.TB, accessToken string) string {
	t.Helper()
	sid, _ := jwtClaims(t, accessToken)["sid"].(string)
	if sid == "" {
		t.Fatal("access token has no sid claim")
	}
	return sid
}

// signingKey reads the server's private key for kid from its keys
// directory: forging with the real key isolates one claim check at a time.
func (s *server) signingKey(t testing.TB, kid string) crypto.Signer {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(s.Config.JWT.KeysDir, kid+".pem"))
	if err != nil {
		t.Fatalf("read signing key: %v", err)
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		t.Fatal("signing key file holds no PEM block")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatalf("parse signing key: %v", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		t.Fatalf("signing key %T cannot sign", key)
	}
	return signer
}

// pemOf encodes a public key as PKIX PEM, the form an algorithm-confusion
// attacker would feed to HMAC.
func pemOf(t testing.TB, pub any) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatalf("encode public key: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}
