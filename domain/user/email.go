package user

import (
	"net/mail"
	"strings"

	"github.com/authd/authd/domain/validation"
)

// MaxEmailBytes is the longest address accepted (RFC 5321 path limit less the
// angle brackets).
const MaxEmailBytes = 254

// Email is a trimmed, lower-cased, single mailbox address (name@domain) with
// no display name. The zero value is not a valid Email.
type Email struct{ address string }

// ParseEmail normalises raw and checks it is one plain address.
func ParseEmail(raw string) (Email, error) {
	s := strings.ToLower(strings.TrimSpace(raw))
	if s == "" {
		return Email{}, validation.Invalid("email", "is required")
	}
	if len(s) > MaxEmailBytes {
		return Email{}, validation.Invalid("email", "must be at most 254 bytes")
	}
	addr, err := mail.ParseAddress(s)
	// A display name or angle brackets make Address differ from the input.
	if err != nil || addr.Name != "" || addr.Address != s {
		return Email{}, validation.Invalid("email", "must be a single address of the form name@domain")
	}
	return Email{address: s}, nil
}

// String returns the normalised address.
func (e Email) String() string { return e.address }

// LocalPart returns the part before the last '@'.
func (e Email) LocalPart() string {
	at := strings.LastIndexByte(e.address, '@')
	if at < 0 {
		return e.address
	}
	return e.address[:at]
}

// IsZero reports whether e was never parsed.
func (e Email) IsZero() bool { return e.address == "" }

// NormalizeEmailPrefix puts the start of an address, typed into a search,
// into the form stored emails have (trimmed, lower case), so that a prefix
// matches stored emails the same way on every store.
func NormalizeEmailPrefix(raw string) string {
	return strings.ToLower(strings.TrimSpace(raw))
}
