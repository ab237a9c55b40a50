package oidctest

import (
	"crypto/rsa"
	"encoding/json"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
)

// forge signs the token's claims with the rogue key under kid.
func forge(token, kid string, rogue *rsa.PrivateKey) (string, error) {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err != nil {
		return "", err
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = kid
	return t.SignedString(rogue)
}

// user implements mockoidc.User with the claims authd reads.
type user struct{ User }

func (u *user) ID() string { return u.Subject }

func (u *user) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]any{"sub": u.Subject, "email": u.Email, "email_verified": u.EmailVerified, "name": u.Name})
}

func (u *user) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.Token != nil {
		u.Token(base)
	}
	return &idClaims{IDTokenClaims: base, Email: u.Email, EmailVerified: u.EmailVerified, Name: u.Name}, nil
}

type idClaims struct {
	*mockoidc.IDTokenClaims
	Email         string `json:"email,omitempty"`
	EmailVerified bool   `json:"email_verified"`
	Name          string `json:"name,omitempty"`
}
