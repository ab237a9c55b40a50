package token

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// MaxLeeway is the largest clock skew verification tolerates (the contract
// allows at most 30 seconds).
const MaxLeeway = 30 * time.Second

// tokenType is the JOSE typ of an access token (RFC 9068 §2.1).
const tokenType = "at+jwt"

// Config says how tokens are made and what verification expects.
type Config struct {
	Algorithm string        // must match the KeySet's algorithm
	Issuer    string        // iss, required on verify
	Audience  string        // aud, required on verify
	TTL       time.Duration // lifetime of an access token
	Leeway    time.Duration // tolerated clock skew, 0 to MaxLeeway
}

// Tokens issues and verifies access tokens. It is safe for concurrent use.
type Tokens struct {
	cfg    Config
	keys   KeySource
	method jwt.SigningMethod
	clock  outbound.Clock
	ids    outbound.IDGenerator
	parser *jwt.Parser
}

var _ outbound.AccessTokens = (*Tokens)(nil)

// NewIssuer checks cfg against keys and returns the issuer and verifier of
// access tokens. Time comes from clock and token ids (jti) from ids.
func NewIssuer(cfg Config, source KeySource, clock outbound.Clock, ids outbound.IDGenerator) (*Tokens, error) {
	if source == nil || source.KeySet() == nil || len(source.KeySet().order) == 0 {
		return nil, errors.New("token: a key set with at least one key is required")
	}
	keys := source.KeySet()
	method, err := signingMethod(cfg.Algorithm)
	if err != nil {
		return nil, err
	}
	switch {
	case cfg.Algorithm != keys.alg:
		return nil, fmt.Errorf("token: configured algorithm %s but the key set holds %s keys", cfg.Algorithm, keys.alg)
	case cfg.Issuer == "" || cfg.Audience == "":
		return nil, errors.New("token: issuer and audience are required")
	case cfg.TTL <= 0:
		return nil, errors.New("token: the access token lifetime must be positive")
	case cfg.Leeway < 0 || cfg.Leeway > MaxLeeway:
		return nil, fmt.Errorf("token: leeway must be between 0 and %s", MaxLeeway)
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{cfg.Algorithm}),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithTimeFunc(clock.Now),
		// Strict base64 gives every token exactly one encoding, so the
		// signature segment cannot be varied while still verifying.
		jwt.WithStrictDecoding(),
	)
	return &Tokens{cfg: cfg, keys: source, method: method, clock: clock, ids: ids, parser: parser}, nil
}

// Issue signs an access token for the user and session in c with the active
// key. It sets IssuedAt to now and ExpiresAt to now plus the TTL, both at
// the whole-second precision of JWT dates, and returns them filled in.
func (t *Tokens) Issue(_ context.Context, c outbound.AccessClaims) (string, outbound.AccessClaims, error) {
	if c.UserID.IsZero() || c.SessionID.IsZero() {
		return "", outbound.AccessClaims{}, errors.New("token: user id and session id are required")
	}
	if _, err := user.ParseRole(string(c.Role)); err != nil {
		return "", outbound.AccessClaims{}, fmt.Errorf("token: %w", err)
	}
	now := t.clock.Now().UTC().Truncate(time.Second)
	key := t.keys.KeySet().signer(t.clock.Now())
	exp := now.Add(t.cfg.TTL).Truncate(time.Second)
	claims := &accessClaims{
		Issuer:    t.cfg.Issuer,
		Audience:  t.cfg.Audience,
		Subject:   c.UserID.String(),
		SessionID: c.SessionID.String(),
		Role:      c.Role.String(),
		IssuedAt:  newNumericDate(now),
		NotBefore: newNumericDate(now),
		ExpiresAt: newNumericDate(exp),
		ID:        t.ids.NewID().String(),
	}
	tok := jwt.NewWithClaims(t.method, claims)
	tok.Header["typ"] = tokenType
	tok.Header["kid"] = key.kid
	signed, err := tok.SignedString(key.private)
	if err != nil {
		return "", outbound.AccessClaims{}, fmt.Errorf("token: signing: %w", err)
	}
	c.IssuedAt, c.ExpiresAt = now, exp
	return signed, c, nil
}
