package identity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
)

// Claims are what a provider states about the person signing in, read from
// an ID token whose signature, issuer, audience, expiry and nonce have
// been verified. Email and Name are as the provider sent them (possibly
// empty); EmailVerified is the provider's email_verified claim.
type Claims struct {
	Provider      string
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

func (c Claims) validate() error {
	if !ValidProviderName(c.Provider) {
		return validation.Invalid("provider", "is not a valid provider name")
	}
	if c.Subject == "" || len(c.Subject) > MaxSubjectBytes || !utf8.ValidString(c.Subject) {
		return validation.Invalid("sub", "must be 1 to 255 bytes")
	}
	return nil
}

// ParsedEmail returns the provider's email in the form accounts store it
// (user.ParseEmail), and false when there is none or it is not a plain
// address.
func (c Claims) ParsedEmail() (user.Email, bool) {
	e, err := user.ParseEmail(c.Email)
	return e, err == nil
}

// VerifiedEmail returns the email only when the provider vouches for it.
func (c Claims) VerifiedEmail() (user.Email, bool) {
	if !c.EmailVerified {
		return user.Email{}, false
	}
	return c.ParsedEmail()
}

// FullName is the name a new account gets: the provider's name claim,
// cleaned of control characters and cut to the longest full name allowed;
// the email's local part when the provider gave no usable name.
func (c Claims) FullName(email user.Email) user.FullName {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(c.Name) {
		if r == utf8.RuneError || unicode.IsControl(r) {
			continue
		}
		if n == user.MaxFullNameLength {
			break
		}
		b.WriteRune(r)
		n++
	}
	if name, err := user.ParseFullName(b.String()); err == nil {
		return name
	}
	if name, err := user.ParseFullName(email.LocalPart()); err == nil {
		return name
	}
	name, _ := user.ParseFullName("user")
	return name
}
