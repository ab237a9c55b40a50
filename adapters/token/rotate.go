package token

import (
	"context"
	"time"

	"github.com/authd/authd/ports/outbound"
)

// KeyDir is the keys directory as an outbound.SigningKeyStore: rotating
// writes a new key file beside the old ones, which keep verifying the
// tokens they signed. Running servers load it on their next reload.
type KeyDir struct {
	Dir       string
	Algorithm string
}

var _ outbound.SigningKeyStore = KeyDir{}

// Rotate writes a new key that signs from activates on and returns its kid.
func (k KeyDir) Rotate(_ context.Context, activates time.Time) (string, error) {
	return RotateKey(k.Dir, k.Algorithm, activates)
}
