package e2e

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestAccessTokenHeaderAndClaims(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := startServer(t, nil, withClock(clock))
	a := s.signup(t, "mina@example.com")

	h := jwtHeader(t, a.AccessToken)
	if h["alg"] != "EdDSA" || h["typ"] != "at+jwt" {
		t.Errorf("header alg %v typ %v, want EdDSA at+jwt", h["alg"], h["typ"])
	}
	if kid, _ := h["kid"].(string); kid == "" {
		t.Error("header has no kid")
	}

	c := jwtClaims(t, a.AccessToken)
	now := clock.Now().Unix()
	num := func(name string) int64 {
		n, err := c[name].(json.Number).Int64()
		if err != nil {
			t.Fatalf("claim %s = %v is not an integer", name, c[name])
		}
		return n
	}
	sessions := s.sessions(t, a.AccessToken)
	if len(sessions) != 1 || !sessions[0].Current {
		t.Fatalf("sessions = %+v, want the one current session", sessions)
	}
	strs := []struct{ claim, want string }{
		{"iss", "authd"}, {"sub", a.User.ID}, {"sid", sessions[0].ID}, {"role", "user"},
	}
	for _, w := range strs {
		if c[w.claim] != w.want {
			t.Errorf("claim %s = %v, want %q", w.claim, c[w.claim], w.want)
		}
	}
	if aud := c["aud"]; aud != "authd" {
		if list, ok := aud.([]any); !ok || len(list) != 1 || list[0] != "authd" {
			t.Errorf("claim aud = %v, want authd", aud)
		}
	}
	if num("iat") != now || num("nbf") > now || num("exp") != now+900 {
		t.Errorf("iat %d nbf %d exp %d, want iat = nbf = now (%d) and exp = now + 900", num("iat"), num("nbf"), num("exp"), now)
	}
	if jti, _ := c["jti"].(string); jti == "" || jti == jwtClaims(t, s.login(t, a.Email, a.Password).AccessToken)["jti"] {
		t.Errorf("jti %v is missing or not unique", c["jti"])
	}
}

func TestForgedAccessTokensAreRefused(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := startServer(t, nil, withClock(clock))
	a := s.signup(t, "nell@example.com")
	stranger := s.signup(t, "otto@example.com")
	kid := jwtHeader(t, a.AccessToken)["kid"].(string)
	key := s.signingKey(t, kid)
	now := clock.Now()

	claims := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{
			"iss": "authd", "aud": "authd", "sub": a.User.ID, "sid": sessionID(t, a.AccessToken),
			"role": "user", "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(15 * time.Minute).Unix(),
			"jti": "forged",
		}
		if edit != nil {
			edit(c)
		}
		return c
	}
	without := func(name string) jwt.MapClaims { return claims(func(c jwt.MapClaims) { delete(c, name) }) }
	with := func(name string, v any) jwt.MapClaims { return claims(func(c jwt.MapClaims) { c[name] = v }) }
	// sign makes a token with our kid and typ; header entries override them
	// (nil removes one).
	sign := func(method jwt.SigningMethod, signingKey any, c jwt.MapClaims, header map[string]any) string {
		tok := jwt.NewWithClaims(method, c)
		tok.Header["kid"], tok.Header["typ"] = kid, "at+jwt"
		for k, v := range header {
			if v == nil {
				delete(tok.Header, k)
			} else {
				tok.Header[k] = v
			}
		}
		signed, err := tok.SignedString(signingKey)
		if err != nil {
			t.Fatalf("sign: %v", err)
		}
		return signed
	}
	eddsa := jwt.SigningMethodEdDSA

	// The forging helper makes tokens the server accepts, so each refusal
	// below is down to the one thing changed.
	s.meUser(t, sign(eddsa, key, claims(nil), nil))
	s.meUser(t, sign(eddsa, key, claims(nil), map[string]any{"typ": "application/at+jwt"}))

	attackerPub, attackerKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serverPub := []byte(key.Public().(ed25519.PublicKey))
	attackerJWK := map[string]any{"kty": "OKP", "crv": "Ed25519", "x": base64.RawURLEncoding.EncodeToString(attackerPub)}
	valid := sign(eddsa, key, claims(nil), nil)
	otherSub := sign(eddsa, key, with("sub", stranger.User.ID), nil)

	cases := []struct{ name, token, code string }{
		{"alg none", sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil), nil), "token_invalid"},
		{"HS256 keyed with the public key", sign(jwt.SigningMethodHS256, serverPub, claims(nil), nil), "token_invalid"},
		{"another Ed25519 key under the same kid", sign(eddsa, attackerKey, claims(nil), nil), "token_invalid"},
		{"ES256 with the attacker's key", sign(jwt.SigningMethodES256, ecKey, claims(nil), nil), "token_invalid"},
		{"key embedded as jwk", sign(eddsa, attackerKey, claims(nil), map[string]any{"jwk": attackerJWK}), "token_invalid"},
		{"key fetched from jku", sign(eddsa, attackerKey, claims(nil), map[string]any{"jku": "https://evil.example/jwks.json"}), "token_invalid"},
		{"unknown kid", sign(eddsa, key, claims(nil), map[string]any{"kid": "20200101T000000Z-00000000"}), "token_invalid"},
		{"no kid", sign(eddsa, key, claims(nil), map[string]any{"kid": nil}), "token_invalid"},
		{"typ JWT", sign(eddsa, key, claims(nil), map[string]any{"typ": "JWT"}), "token_invalid"},
		{"no typ", sign(eddsa, key, claims(nil), map[string]any{"typ": nil}), "token_invalid"},
		{"crit header", sign(eddsa, key, claims(nil), map[string]any{"crit": []string{"exp"}}), "token_invalid"},
		{"wrong iss", sign(eddsa, key, with("iss", "someone-else"), nil), "token_invalid"},
		{"no iss", sign(eddsa, key, without("iss"), nil), "token_invalid"},
		{"wrong aud", sign(eddsa, key, with("aud", "someone-else"), nil), "token_invalid"},
		{"aud list without ours", sign(eddsa, key, with("aud", []string{"someone-else"}), nil), "token_invalid"},
		{"no aud", sign(eddsa, key, without("aud"), nil), "token_invalid"},
		{"no exp", sign(eddsa, key, without("exp"), nil), "token_invalid"},
		// Dates must be JSON numbers; the contract's example and a future
		// date, each as a string, are refused as invalid, not read as dates.
		{"exp the string \"1767225600\"", sign(eddsa, key, with("exp", "1767225600"), nil), "token_invalid"},
		{"exp a future date as a string", sign(eddsa, key, with("exp", strconv.FormatInt(now.Add(15*time.Minute).Unix(), 10)), nil), "token_invalid"},
		{"iat as a string", sign(eddsa, key, with("iat", strconv.FormatInt(now.Unix(), 10)), nil), "token_invalid"},
		{"nbf as a string", sign(eddsa, key, with("nbf", strconv.FormatInt(now.Unix(), 10)), nil), "token_invalid"},
		{"expired beyond the 30 s leeway", sign(eddsa, key, claims(func(c jwt.MapClaims) {
			c["iat"], c["nbf"], c["exp"] = now.Add(-16*time.Minute).Unix(), now.Add(-16*time.Minute).Unix(), now.Add(-31*time.Second).Unix()
		}), nil), "token_expired"},
		{"nbf beyond the leeway", sign(eddsa, key, with("nbf", now.Add(31*time.Second).Unix()), nil), "token_invalid"},
		{"iat beyond the leeway", sign(eddsa, key, with("iat", now.Add(31*time.Second).Unix()), nil), "token_invalid"},
		{"sub of another user", otherSub, "token_invalid"},
		{"claims swapped under a valid signature", spliceSignature(otherSub, valid), "token_invalid"},
		{"signature removed", strings.Join(strings.Split(valid, ".")[:2], ".") + ".", "token_invalid"},
		{"not a JWT", "abc.def.ghi", "token_invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.me(t, c.token)
			r.wantProblem(t, http.StatusUnauthorized, c.code)
			if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate %q, want a Bearer challenge", r.Header.Get("WWW-Authenticate"))
			}
		})
	}

	// Tokens expire on the server's clock, leeway included.
	s.meUser(t, a.AccessToken)
	clock.Advance(15*time.Minute + 31*time.Second)
	s.wantRefused(t, a.AccessToken, "token_expired")
	// An expired access token does not end the session.
	s.meUser(t, s.mustRefresh(t, a.RefreshToken).AccessToken)
}

// spliceSignature puts the signature of from onto the header and claims of onto.
func spliceSignature(onto, from string) string {
	o, f := strings.Split(onto, "."), strings.Split(from, ".")
	return o[0] + "." + o[1] + "." + f[2]
}

func TestMissingOrMalformedAuthorization(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	a := s.signup(t, "pam@example.com")
	cases := []struct{ name, value string }{
		{"absent", ""},
		{"basic scheme", "Basic cGFtOnNlY3JldA=="},
		{"scheme only", "Bearer"},
		{"empty token", "Bearer "},
		{"two tokens", "Bearer " + a.AccessToken + " " + a.AccessToken},
		{"other scheme with the token", "Token " + a.AccessToken},
		{"token without scheme", a.AccessToken},
		{"not token68", "Bearer {" + a.AccessToken + "}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var opts []reqOption
			if c.value != "" {
				opts = append(opts, header("Authorization", c.value))
			}
			for _, path := range []string{"/v1/auth/me", "/v1/auth/sessions"} {
				r := s.do(t, http.MethodGet, path, nil, opts...)
				r.wantProblem(t, http.StatusUnauthorized, "unauthorized")
				if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s: WWW-Authenticate %q, want a Bearer challenge", path, r.Header.Get("WWW-Authenticate"))
				}
			}
		})
	}
	s.meUser(t, a.AccessToken)
}
