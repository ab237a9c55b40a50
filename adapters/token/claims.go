package token

import (
	"errors"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// accessClaims is the JWT payload. It spells the registered claims out
// instead of embedding jwt.RegisteredClaims because the contract sends aud
// as a single string, and RegisteredClaims encodes it as an array unless a
// package-level variable of the library is changed.
type accessClaims struct {
	Issuer    string       `json:"iss,omitempty"`
	Audience  string       `json:"aud,omitempty"`
	Subject   string       `json:"sub,omitempty"`
	SessionID string       `json:"sid,omitempty"`
	Role      string       `json:"role,omitempty"`
	IssuedAt  *numericDate `json:"iat,omitempty"`
	NotBefore *numericDate `json:"nbf,omitempty"`
	ExpiresAt *numericDate `json:"exp,omitempty"`
	ID        string       `json:"jti,omitempty"`
}

var (
	errNoSubject = errors.New("sub claim missing or not a user id")
	errNoSession = errors.New("sid claim missing or not a session id")
	errBadRole   = errors.New("role claim not a known role")
)

func (c *accessClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt.date(), nil }
func (c *accessClaims) GetIssuedAt() (*jwt.NumericDate, error)       { return c.IssuedAt.date(), nil }
func (c *accessClaims) GetNotBefore() (*jwt.NumericDate, error)      { return c.NotBefore.date(), nil }
func (c *accessClaims) GetIssuer() (string, error)                   { return c.Issuer, nil }
func (c *accessClaims) GetSubject() (string, error)                  { return c.Subject, nil }

func (c *accessClaims) GetAudience() (jwt.ClaimStrings, error) {
	if c.Audience == "" {
		return nil, nil
	}
	return jwt.ClaimStrings{c.Audience}, nil
}

// Validate runs after the library's own claim checks (jwt.ClaimsValidator)
// and adds the claims authd cannot work without.
func (c *accessClaims) Validate() error {
	var errs []error
	if _, err := user.ParseID(c.Subject); err != nil {
		errs = append(errs, errNoSubject)
	}
	if _, err := session.ParseID(c.SessionID); err != nil {
		errs = append(errs, errNoSession)
	}
	if _, err := user.ParseRole(c.Role); err != nil {
		errs = append(errs, errBadRole)
	}
	return errors.Join(errs...)
}
