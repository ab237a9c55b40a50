package token

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authd/authd/ports/outbound"
)

// Each case changes one thing in a token the server would otherwise accept
// (the "control" case proves the starting point verifies).
func TestVerifyRefusals(t *testing.T) {
	f := newFixture(t, EdDSA)
	_, attackerKey, _ := ed25519.GenerateKey(rand.Reader)
	serverPub := f.keys.signer(f.clock.Now()).public.(ed25519.PublicKey)
	pubDER, _ := x509.MarshalPKIXPublicKey(serverPub)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})

	with := func(change func(h, c map[string]any)) (map[string]any, map[string]any) {
		h, c := f.goodHeader(), goodClaims()
		change(h, c)
		return h, c
	}
	own := func(change func(h, c map[string]any)) string {
		h, c := with(change)
		return f.sign(t, h, c)
	}
	attacker := func(change func(h, c map[string]any)) string {
		h, c := with(change)
		return forge(t, jwt.SigningMethodEdDSA, attackerKey, h, c)
	}
	hs256With := func(key []byte) string {
		h, c := with(func(h, _ map[string]any) { h["alg"] = "HS256" })
		return forge(t, jwt.SigningMethodHS256, key, h, c)
	}
	noneToken := func() string {
		h, c := with(func(h, _ map[string]any) { h["alg"] = "none" })
		return forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, h, c)
	}()
	good := own(func(_, _ map[string]any) {})

	if _, err := f.tokens.Verify(testContext, good); err != nil {
		t.Fatalf("control: Verify = %v, want success", err)
	}

	cases := map[string]struct{ token, reason string }{
		"alg none":                         {noneToken, "signature or algorithm refused"},
		"alg none without signature dot":   {strings.TrimSuffix(noneToken, "."), "malformed"},
		"HS256 signed with raw public key": {hs256With(serverPub), "signature or algorithm refused"},
		"HS256 signed with public key PEM": {hs256With(pubPEM), "signature or algorithm refused"},
		"unknown kid":                      {attacker(func(h, _ map[string]any) { h["kid"] = "20990101T000000Z-00000000" }), "kid not one of our keys"},
		"no kid":                           {own(func(h, _ map[string]any) { delete(h, "kid") }), "kid not one of our keys"},
		"same kid, different key":          {attacker(func(_, _ map[string]any) {}), "signature or algorithm refused"},
		"embedded jwk with own kid": {attacker(func(h, _ map[string]any) {
			h["jwk"] = map[string]any{"kty": "OKP", "crv": "Ed25519", "x": b64(attackerKey.Public().(ed25519.PublicKey))}
		}), "signature or algorithm refused"},
		"jku pointing elsewhere":            {attacker(func(h, _ map[string]any) { h["jku"] = "https://evil.example/jwks.json"; h["kid"] = "evil" }), "kid not one of our keys"},
		"typ JWT":                           {own(func(h, _ map[string]any) { h["typ"] = "JWT" }), "typ not"},
		"typ missing":                       {own(func(h, _ map[string]any) { delete(h, "typ") }), "typ not"},
		"typ not a string":                  {own(func(h, _ map[string]any) { h["typ"] = 1 }), "typ not"},
		"crit listing a claim":              {own(func(h, _ map[string]any) { h["crit"] = []string{"exp"} }), "crit header present"},
		"crit empty":                        {own(func(h, _ map[string]any) { h["crit"] = []string{} }), "crit header present"},
		"wrong iss":                         {own(func(_, c map[string]any) { c["iss"] = "https://other" }), "wrong issuer"},
		"missing iss":                       {own(func(_, c map[string]any) { delete(c, "iss") }), "required claim missing"},
		"wrong aud":                         {own(func(_, c map[string]any) { c["aud"] = "another-api" }), "wrong audience"},
		"missing aud":                       {own(func(_, c map[string]any) { delete(c, "aud") }), "required claim missing"},
		"missing exp":                       {own(func(_, c map[string]any) { delete(c, "exp") }), "required claim missing"},
		"exp not a number":                  {own(func(_, c map[string]any) { c["exp"] = "tomorrow" }), "date claim is not a JSON number"},
		"exp a string of digits":            {own(func(_, c map[string]any) { c["exp"] = strconv.FormatInt(start.Unix()+600, 10) }), "date claim is not a JSON number"},
		"iat a string of digits":            {own(func(_, c map[string]any) { c["iat"] = strconv.FormatInt(start.Unix(), 10) }), "date claim is not a JSON number"},
		"nbf a string of digits":            {own(func(_, c map[string]any) { c["nbf"] = strconv.FormatInt(start.Unix(), 10) }), "date claim is not a JSON number"},
		"exp a boolean":                     {own(func(_, c map[string]any) { c["exp"] = true }), "date claim is not a JSON number"},
		"nbf in the future":                 {own(func(_, c map[string]any) { c["nbf"] = start.Unix() + 3600 }), "not valid yet"},
		"iat in the future":                 {own(func(_, c map[string]any) { c["iat"] = start.Unix() + 3600 }), "issued in the future"},
		"missing sub":                       {own(func(_, c map[string]any) { delete(c, "sub") }), "sub claim missing"},
		"missing sid":                       {own(func(_, c map[string]any) { delete(c, "sid") }), "sid claim missing"},
		"sub not a user id":                 {own(func(_, c map[string]any) { c["sub"] = "u-1" }), "sub claim missing or not a user id"},
		"sid not a session id":              {own(func(_, c map[string]any) { c["sid"] = "s-1" }), "sid claim missing or not a session id"},
		"unknown role":                      {own(func(_, c map[string]any) { c["role"] = "root" }), "role claim"},
		"signature of another token":        {good[:strings.LastIndex(good, ".")] + noneSig(attacker(func(_, _ map[string]any) {})), "signature or algorithm refused"},
		"signature cut to 48 bytes":         {good[:strings.LastIndex(good, ".")+1+64], "signature or algorithm refused"},
		"payload swapped after signing":     {swapPayload(good, own(func(_, c map[string]any) { c["role"] = "admin" })), "signature or algorithm refused"},
		"empty":                             {"", "malformed"},
		"garbage":                           {"not.a.jwt", "malformed"},
		"a refresh-like opaque string":      {"AQEjRWeJq83vEjRWeJq83vAAAAAAAAAAAQ", "malformed"},
		"too long":                          {good + strings.Repeat("A", maxTokenLen), "too long"},
		"non-canonical base64 in signature": {flipTrailingBits(good), "malformed"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := f.tokens.Verify(testContext, tc.token)
			if !errors.Is(err, outbound.ErrTokenInvalid) || errors.Is(err, outbound.ErrTokenExpired) {
				t.Fatalf("Verify = %v, want ErrTokenInvalid", err)
			}
			// The reason proves the case failed on the rule it is about.
			if !strings.Contains(err.Error(), tc.reason) {
				t.Fatalf("Verify = %v, want reason %q", err, tc.reason)
			}
			if tc.token != "" && strings.Contains(err.Error(), tc.token) {
				t.Fatalf("error message contains the token")
			}
		})
	}
}

func TestVerifyAcceptsTypVariants(t *testing.T) {
	f := newFixture(t, EdDSA)
	for _, typ := range []string{"at+jwt", "application/at+jwt", "AT+JWT", "Application/At+Jwt"} {
		h := f.goodHeader()
		h["typ"] = typ
		if _, err := f.tokens.Verify(testContext, f.sign(t, h, goodClaims())); err != nil {
			t.Errorf("typ %q: Verify = %v, want success", typ, err)
		}
	}
}

// A server configured for HS256 must not accept an EdDSA token either: the
// pin works in both directions.
func TestVerifyRefusesOtherFamilyUnderHS256(t *testing.T) {
	hs := newFixture(t, HS256)
	ed := newFixture(t, EdDSA)
	if _, err := hs.tokens.Verify(testContext, ed.issue(t)); !errors.Is(err, outbound.ErrTokenInvalid) {
		t.Fatalf("Verify = %v, want ErrTokenInvalid", err)
	}
	other, err := NewHMACKeySet([]byte("another-secret-another-secret-32"))
	if err != nil {
		t.Fatal(err)
	}
	stranger := fixtureWith(t, other, "")
	if _, err := hs.tokens.Verify(testContext, stranger.issue(t)); !errors.Is(err, outbound.ErrTokenInvalid) {
		t.Fatalf("token under another secret: Verify = %v, want ErrTokenInvalid", err)
	}
}

func noneSig(tok string) string { return tok[strings.LastIndex(tok, "."):] }

func swapPayload(signed, other string) string {
	a, b := strings.Split(signed, "."), strings.Split(other, ".")
	return a[0] + "." + b[1] + "." + a[2]
}

// flipTrailingBits changes the unused low bits of the last base64 character
// of the signature. A lenient decoder would read the same signature bytes.
// An Ed25519 signature is 64 bytes: 86 characters whose last carries 2 bits
// of padding.
func flipTrailingBits(tok string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, tok[len(tok)-1])
	return tok[:len(tok)-1] + string(alphabet[last^1])
}

// NumericDate allows fractions: a JSON number with a fraction is still a
// date, and it is only a string that is refused.
func TestVerifyAcceptsFractionalDates(t *testing.T) {
	f := newFixture(t, EdDSA)
	c := goodClaims()
	c["exp"] = json.Number(strconv.FormatInt(start.Unix()+600, 10) + ".5")
	if _, err := f.tokens.Verify(testContext, f.sign(t, f.goodHeader(), c)); err != nil {
		t.Fatalf("Verify = %v, want success", err)
	}
}
