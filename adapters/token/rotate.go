package token

import (
	"context"

	"github.com/authd/authd/ports/outbound"
)

// KeyDir is the keys directory as an outbound.SigningKeyStore: rotating
// writes a new active key file beside the old ones, which keep verifying
// the tokens they signed. Running servers pick it up on restart.
type KeyDir struct {
	Dir       string
	Algorithm string
}

var _ outbound.SigningKeyStore = KeyDir{}

// Rotate generates a new active key and returns its kid.
func (k KeyDir) Rotate(context.Context) (string, error) {
	return GenerateKey(k.Dir, k.Algorithm)
}
