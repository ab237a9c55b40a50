package httpapi

import (
	"time"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
)

// Request bodies. Pointers tell a missing (or null) field from an empty
// one: the handler reports missing required fields, the use case judges
// the content.
type (
	signupRequest struct {
		Email           *string `json:"email"`
		Password        *string `json:"password"`
		FullName        *string `json:"fullName"`
		PasswordConfirm *string `json:"passwordConfirm"`
	}
	loginRequest struct {
		Email    *string `json:"email"`
		Password *string `json:"password"`
	}
	refreshRequest struct {
		RefreshToken *string `json:"refreshToken"`
	}
	changePasswordRequest struct {
		CurrentPassword *string `json:"currentPassword"`
		NewPassword     *string `json:"newPassword"`
	}
)

// required reports every nil field, in order, as one validation error.
func required(fields ...namedField) error {
	problems := &validation.Error{}
	for _, f := range fields {
		if f.value == nil {
			problems.Add(f.name, "is required")
		}
	}
	return problems.OrNil()
}

type namedField struct {
	name  string
	value *string
}

func field(name string, value *string) namedField { return namedField{name, value} }

// timestamp renders times as RFC 3339 in UTC, to the second.
func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// userDTO is the public face of an account: never its password hash.
type userDTO struct {
	ID            string `json:"id"`
	Email         string `json:"email"`
	FullName      string `json:"fullName"`
	Role          string `json:"role"`
	Disabled      bool   `json:"disabled"`
	EmailVerified bool   `json:"emailVerified"`
	CreatedAt     string `json:"createdAt"`
	UpdatedAt     string `json:"updatedAt"`
}

func toUserDTO(u *user.User) userDTO {
	return userDTO{
		ID:            u.ID().String(),
		Email:         u.Email().String(),
		FullName:      u.FullName().String(),
		Role:          u.Role().String(),
		Disabled:      u.Disabled(),
		EmailVerified: u.EmailVerified(),
		CreatedAt:     timestamp(u.CreatedAt()),
		UpdatedAt:     timestamp(u.UpdatedAt()),
	}
}

// sessionDTO is one session as its owner sees it. expiresAt is when it ends
// if nothing else happens (the idle deadline, capped by the absolute one).
type sessionDTO struct {
	ID         string `json:"id"`
	UserAgent  string `json:"userAgent"`
	IP         string `json:"ip"`
	CreatedAt  string `json:"createdAt"`
	LastUsedAt string `json:"lastUsedAt"`
	ExpiresAt  string `json:"expiresAt"`
	Current    bool   `json:"current"`
}

func toSessionDTO(v inbound.SessionView) sessionDTO {
	s := v.Session
	return sessionDTO{
		ID:         s.ID().String(),
		UserAgent:  s.UserAgent(),
		IP:         s.IP(),
		CreatedAt:  timestamp(s.CreatedAt()),
		LastUsedAt: timestamp(s.LastUsedAt()),
		ExpiresAt:  timestamp(s.ExpiresAt()),
		Current:    v.Current,
	}
}

// tokenResponse is the answer of signup, login and refresh. RefreshToken is
// omitted when the token travels only in the cookie.
type tokenResponse struct {
	TokenType        string  `json:"tokenType"`
	AccessToken      string  `json:"accessToken"`
	ExpiresIn        int64   `json:"expiresIn"`
	RefreshToken     string  `json:"refreshToken,omitempty"`
	RefreshExpiresAt string  `json:"refreshExpiresAt"`
	User             userDTO `json:"user"`
}

func toTokenResponse(p inbound.TokenPair, includeRefresh bool) tokenResponse {
	r := tokenResponse{
		TokenType:        "Bearer",
		AccessToken:      p.AccessToken,
		ExpiresIn:        int64(p.ExpiresIn / time.Second),
		RefreshExpiresAt: timestamp(p.RefreshExpiresAt),
		User:             toUserDTO(p.User),
	}
	if includeRefresh {
		r.RefreshToken = p.RefreshToken
	}
	return r
}

type (
	userEnvelope struct {
		User userDTO `json:"user"`
	}
	sessionsEnvelope struct {
		Sessions []sessionDTO `json:"sessions"`
	}
	// statusResponse answers the probes; Checks is left out when empty.
	statusResponse struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks,omitempty"`
	}
)
