package application

import (
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// parseEmail puts raw into the normal form (emails) and checks it (the
// domain's rules), so that every way of typing one mailbox names one
// account.
func parseEmail(emails outbound.EmailNormalizer, raw string) (user.Email, error) {
	normal, err := emails.Normalize(raw)
	if err != nil {
		return user.Email{}, err
	}
	return user.ParseEmail(normal)
}
