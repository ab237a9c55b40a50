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
// no display name, in ASCII: an internationalised domain is in its IDNA
// A-label form (xn--...), so that one mailbox has one spelling. Turning
// what a person typed into that form (IDNA mapping, width folding,
// refusing look-alikes) is the job of an outbound.EmailNormalizer, applied
// before ParseEmail. The zero value is not a valid Email.
type Email struct{ address string }

// ParseEmail normalises raw (trimmed, lower-cased) and checks it is one
// plain ASCII address.
func ParseEmail(raw string) (Email, error) {
	e, err := parseStoredEmail(raw)
	if err != nil {
		return Email{}, err
	}
	for i := 0; i < len(e.address); i++ {
		if e.address[i] >= 0x80 {
			return Email{}, validation.Invalid("email", "must be in ASCII, an internationalised domain in its IDNA form")
		}
	}
	return e, nil
}

// parseStoredEmail is ParseEmail without the ASCII rule: an account stored
// before the rule (one left as it was by migration 4) still loads.
func parseStoredEmail(raw string) (Email, error) {
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
