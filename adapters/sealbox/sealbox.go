// Package sealbox implements outbound.Sealer with AES-256-GCM from the
// standard library: what the mail outbox keeps (a live link token and
// code) is encrypted and authenticated under a server key, so a copy of
// the database yields nothing usable, and an altered row fails to open.
package sealbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/authd/authd/ports/outbound"
)

// KeySize is the key length: AES-256.
const KeySize = 32

// version is the first byte of every sealed value, so the format can change.
const version = 1

// ErrOpen means a value was not sealed under this key, or was altered.
var ErrOpen = errors.New("sealbox: cannot open")

// Box seals with one key.
type Box struct{ aead cipher.AEAD }

var _ outbound.Sealer = (*Box)(nil)

// New takes a key of KeySize random bytes.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("sealbox: the key must be %d bytes", KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("sealbox: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sealbox: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal returns version ‖ nonce ‖ ciphertext-and-tag, with a random nonce.
// The version byte is authenticated too.
func (b *Box) Seal(plaintext []byte) ([]byte, error) {
	out := make([]byte, 1+b.aead.NonceSize(), 1+b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("sealbox: read random bytes: %w", err)
	}
	return b.aead.Seal(out, out[1:], plaintext, out[:1]), nil
}

// Open reverses Seal, failing with ErrOpen for anything else.
func (b *Box) Open(sealed []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < 1+n+b.aead.Overhead() || sealed[0] != version {
		return nil, ErrOpen
	}
	plain, err := b.aead.Open(nil, sealed[1:1+n], sealed[1+n:], sealed[:1])
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
