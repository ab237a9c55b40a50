package token

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// maxTokenLen bounds the work spent on a presented token before any
// parsing: our tokens are a few hundred bytes, RS256 ones under 1 KiB.
const maxTokenLen = 8 << 10

// Header problems found by keyFor, before the signature is checked.
var (
	errAlgorithm  = errors.New("alg not the configured algorithm")
	errCrit       = errors.New("crit header present")
	errType       = errors.New(`typ not "at+jwt"`)
	errUnknownKID = errors.New("kid not one of our keys")
	errTooLong    = errors.New("token too long")
)

// Verify checks the token's header, signature and claims. A correctly signed
// token whose only fault is being past exp fails with
// outbound.ErrTokenExpired; anything else fails with an error wrapping
// outbound.ErrTokenInvalid and naming the reason in fixed words (never the
// token, never the library's message).
func (t *Tokens) Verify(_ context.Context, raw string) (outbound.AccessClaims, error) {
	if len(raw) > maxTokenLen {
		return outbound.AccessClaims{}, invalid(errTooLong)
	}
	var c accessClaims
	if _, err := t.parser.ParseWithClaims(raw, &c, t.keyFor); err != nil {
		if expiredOnly(err) {
			return outbound.AccessClaims{}, outbound.ErrTokenExpired
		}
		return outbound.AccessClaims{}, invalid(err)
	}
	// Validate has checked that both ids parse.
	userID, _ := user.ParseID(c.Subject)
	sessionID, _ := session.ParseID(c.SessionID)
	out := outbound.AccessClaims{
		UserID:    userID,
		SessionID: sessionID,
		Role:      user.Role(c.Role), // checked by accessClaims.Validate
		ExpiresAt: c.ExpiresAt.Time.UTC(),
	}
	if c.IssuedAt != nil {
		out.IssuedAt = c.IssuedAt.Time.UTC()
	}
	return out, nil
}

// keyFor picks the verification key. It runs after the parser has accepted
// alg, and checks what golang-jwt leaves to the caller: crit and typ. The
// key is found by kid among the set's own keys only; jku, jwk and x5u are
// never read, so a token cannot bring its own key.
func (t *Tokens) keyFor(tok *jwt.Token) (any, error) {
	keys := t.keys.KeySet()
	if tok.Method == nil || tok.Method.Alg() != keys.alg {
		return nil, errAlgorithm
	}
	// RFC 7515 §4.1.11: a recipient that does not understand a listed
	// extension must reject the token. We understand none, so any crit
	// header, even an empty one, is refused.
	if _, ok := tok.Header["crit"]; ok {
		return nil, errCrit
	}
	// Media type names are case-insensitive (RFC 7515 §4.1.9, RFC 2045), so
	// "AT+JWT" is accepted like "at+jwt"; the "application/" prefix may be
	// present or omitted (RFC 9068 §4).
	typ, _ := tok.Header["typ"].(string)
	if !strings.EqualFold(typ, tokenType) && !strings.EqualFold(typ, "application/"+tokenType) {
		return nil, errType
	}
	kid, _ := tok.Header["kid"].(string)
	key, ok := keys.verificationKey(kid)
	if !ok {
		return nil, errUnknownKID
	}
	return key, nil
}

// reasons turns the error chain of a failed parse into a fixed phrase, in
// order of precedence.
var reasons = []struct {
	err  error
	text string
}{
	{errTooLong, errTooLong.Error()},
	{errDateNotNumber, errDateNotNumber.Error()},
	{jwt.ErrTokenMalformed, "malformed"},
	// keyFor's errors come wrapped in ErrTokenUnverifiable, so they are
	// looked for first.
	{errAlgorithm, errAlgorithm.Error()},
	{errCrit, errCrit.Error()},
	{errType, errType.Error()},
	{errUnknownKID, errUnknownKID.Error()},
	{jwt.ErrTokenUnverifiable, "unverifiable"},
	{jwt.ErrTokenSignatureInvalid, "signature or algorithm refused"},
	{jwt.ErrTokenInvalidIssuer, "wrong issuer"},
	{jwt.ErrTokenInvalidAudience, "wrong audience"},
	{jwt.ErrTokenRequiredClaimMissing, "required claim missing"},
	{errNoSubject, errNoSubject.Error()},
	{errNoSession, errNoSession.Error()},
	{errBadRole, errBadRole.Error()},
	{jwt.ErrTokenNotValidYet, "not valid yet (nbf in the future)"},
	{jwt.ErrTokenUsedBeforeIssued, "issued in the future (iat)"},
	{jwt.ErrTokenExpired, "expired"},
}

func invalid(err error) error {
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return fmt.Errorf("%w: %s", outbound.ErrTokenInvalid, r.text)
		}
	}
	return outbound.ErrTokenInvalid
}

// expiredOnly reports whether the only fault the parser found is exp being
// past: the signature verified (claims are validated only after it) and
// every other claim check passed. An expired token that is also wrong in
// another way is invalid, not merely expired.
func expiredOnly(err error) bool {
	expired, other := false, false
	var walk func(error)
	walk = func(e error) {
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				walk(inner)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		default:
			switch e {
			case jwt.ErrTokenExpired:
				expired = true
			case jwt.ErrTokenInvalidClaims:
			default:
				other = true
			}
		}
	}
	walk(err)
	return expired && !other
}
