package user

import (
	"strings"
	"unicode/utf8"

	"github.com/authd/authd/domain/validation"
)

// Password length bounds, in Unicode code points.
const (
	MaxPasswordLength        = 128
	DefaultMinPasswordLength = 8
)

// minLocalPartForRule is the shortest email local part that the "password
// must not contain the local part" rule applies to: a one- or two-letter
// local part such as "a" would otherwise forbid most passwords.
const minLocalPartForRule = 3

// Redacted is what a Password or PasswordHash shows of itself anywhere it
// might be printed, logged or serialised.
const Redacted = "[REDACTED]"

// Blocklist answers whether a password is too common to accept. The
// comparison is the implementation's (usually case-insensitive).
type Blocklist interface {
	Contains(password string) bool
}

// PasswordPolicy holds the rules a new password must meet (NIST SP 800-63B:
// length and a blocklist, no composition rules).
type PasswordPolicy struct {
	MinLength int
	Blocklist Blocklist
}

// Password is a plaintext password on its way to the hasher. It redacts
// itself in String, GoString, MarshalJSON and MarshalText, so a stray log
// line or error body cannot leak it; only Reveal returns the plaintext.
type Password struct{ plain string }

// NewPassword checks plain against policy for an account with the given
// email. The password is never trimmed or truncated.
func NewPassword(plain string, policy PasswordPolicy, email Email) (Password, error) {
	if !utf8.ValidString(plain) {
		return Password{}, validation.Invalid("password", "must be valid UTF-8")
	}
	minLen := policy.MinLength
	if minLen <= 0 {
		minLen = DefaultMinPasswordLength
	}
	n := utf8.RuneCountInString(plain)
	switch {
	case n < minLen:
		return Password{}, validation.Invalid("password", "is too short")
	case n > MaxPasswordLength:
		return Password{}, validation.Invalid("password", "must be at most 128 characters")
	}
	if policy.Blocklist != nil && policy.Blocklist.Contains(plain) {
		return Password{}, validation.Invalid("password", "is too common: it appears in a list of breached or common passwords")
	}
	if local := email.LocalPart(); utf8.RuneCountInString(local) >= minLocalPartForRule && strings.Contains(strings.ToLower(plain), local) {
		return Password{}, validation.Invalid("password", "must not contain the email address's local part")
	}
	return Password{plain: plain}, nil
}

// PasswordAttempt wraps a password presented at login or as the current
// password. No policy applies (old accounts may predate it), only the upper
// bound that keeps hashing cost bounded.
func PasswordAttempt(plain string) (Password, error) {
	if utf8.RuneCountInString(plain) > MaxPasswordLength {
		return Password{}, validation.Invalid("password", "must be at most 128 characters")
	}
	return Password{plain: plain}, nil
}

// Reveal returns the plaintext. Only a password hasher should call it.
func (p Password) Reveal() string { return p.plain }

// IsZero reports whether p is empty.
func (p Password) IsZero() bool { return p.plain == "" }

func (Password) String() string               { return Redacted }
func (Password) GoString() string             { return Redacted }
func (Password) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }
func (Password) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// PasswordHash is an encoded hash in PHC string form
// ($argon2id$v=19$m=...,t=...,p=...$salt$hash). It carries its parameters so
// that it can be verified and upgraded later.
type PasswordHash struct{ phc string }

// NewPasswordHash wraps an encoded hash produced by a hasher or loaded from
// storage.
func NewPasswordHash(phc string) (PasswordHash, error) {
	if !strings.HasPrefix(phc, "$") {
		return PasswordHash{}, validation.Invalid("passwordHash", "must be a PHC string")
	}
	return PasswordHash{phc: phc}, nil
}

// PHC returns the encoded hash for the hasher and for storage.
func (h PasswordHash) PHC() string { return h.phc }

func (PasswordHash) String() string               { return Redacted }
func (PasswordHash) GoString() string             { return Redacted }
func (PasswordHash) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }
