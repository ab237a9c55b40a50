package system

import (
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/ports/outbound"
)

// Secrets makes 256-bit random secrets from the system's random source,
// as 43 characters of unpadded base64url (also a valid PKCE verifier):
// the text of a one-time link token, made the same way.
type Secrets struct{}

var _ outbound.Secrets = Secrets{}

// NewSecret returns a new secret. It cannot fail: crypto/rand.Read does
// not (the runtime aborts the process if the system's source ever does).
func (Secrets) NewSecret() string {
	t, _ := onetime.NewToken()
	return t.Reveal()
}
