package system

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/authd/authd/ports/outbound"
)

// Secrets makes 256-bit random secrets from the system's random source,
// as 43 characters of unpadded base64url (also a valid PKCE verifier).
type Secrets struct{}

var _ outbound.Secrets = Secrets{}

// NewSecret returns a new secret. crypto/rand.Read does not fail (the
// runtime aborts the process if the system's source ever does).
func (Secrets) NewSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
