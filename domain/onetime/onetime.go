// Package onetime holds the one-time secrets that prove control of a
// mailbox: a link token and a 6-digit code, issued together for one user
// and one purpose (verifying an address, resetting a password, confirming
// an email change). The rules live here: a secret expires, is single use,
// its token and code die together, a code allows MaxCodeFailures wrong
// guesses, and a newer secret of a purpose kills the older ones. Storage
// keeps digests only (Hasher), never a token or a code.
package onetime

import (
	"errors"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/validation"
)

// ErrInvalid means a presented secret cannot be used, whatever the reason:
// unknown, spent, expired, superseded, dead after too many wrong codes,
// issued for another purpose, or its account may no longer use it. Callers
// never say which, so a guesser learns nothing.
var ErrInvalid = errors.New("onetime: secret invalid")

// ErrNotFound is what repositories answer for a digest or a user with no
// secret; use cases turn it into ErrInvalid.
var ErrNotFound = errors.New("onetime: not found")

// Purpose says what a secret proves. The set is closed.
type Purpose string

// The purposes of one-time secrets.
const (
	// VerifyEmail proves the account's address belongs to its owner.
	VerifyEmail Purpose = "verify_email"
	// ResetPassword lets the owner of the account's address set a password.
	ResetPassword Purpose = "reset_password"
	// ChangeEmail proves the owner controls the new address of a change.
	ChangeEmail Purpose = "change_email"
)

// Purposes lists every purpose.
var Purposes = []Purpose{VerifyEmail, ResetPassword, ChangeEmail}

// ParsePurpose accepts exactly one of Purposes.
func ParsePurpose(s string) (Purpose, error) {
	for _, p := range Purposes {
		if string(p) == s {
			return p, nil
		}
	}
	return "", validation.Invalid("purpose", "is not a known purpose")
}

// AcceptsCode reports whether the secret may be used with its code as well
// as its token. An email change is confirmed by its link only: its code is
// never mailed.
func (p Purpose) AcceptsCode() bool { return p == VerifyEmail || p == ResetPassword }

// ID identifies a secret.
type ID ident.UUID

// ParseID reads a secret id in canonical UUID form.
func ParseID(s string) (ID, error) {
	u, err := ident.Parse(s)
	return ID(u), err
}

// String returns the canonical text form.
func (id ID) String() string { return ident.UUID(id).String() }

// IsZero reports whether id names no secret.
func (id ID) IsZero() bool { return ident.UUID(id).IsZero() }

// EndReason says why a secret can no longer be used before its expiry.
type EndReason string

// The reasons a secret ends early.
const (
	// Used: the token or the code was redeemed.
	Used EndReason = "used"
	// Superseded: a newer secret of the same purpose was issued.
	Superseded EndReason = "superseded"
	// TooManyFailures: MaxCodeFailures wrong codes were presented.
	TooManyFailures EndReason = "too_many_failures"
)
