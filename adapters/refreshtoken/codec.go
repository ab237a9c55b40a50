package refreshtoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/outbound"
)

// KeySize is the length of the MAC key in bytes (256 bits).
const KeySize = 32

const (
	version    byte = 1
	domain          = "authd-refresh-v1" // separates these MACs from any other use of the key
	idLen           = 16
	genLen          = 8
	macLen          = sha256.Size
	payloadLen      = 1 + idLen + genLen
	rawLen          = payloadLen + macLen
)

// encoding is strict so every token has exactly one text form (57 bytes fill
// 76 characters with no spare bits anyway).
var encoding = base64.RawURLEncoding.Strict()

// encodedLen is the length of every valid token; anything else is refused
// before decoding, so hostile input costs nothing.
var encodedLen = encoding.EncodedLen(rawLen)

// Codec encodes and decodes refresh tokens under one key. It is safe for
// concurrent use.
type Codec struct {
	key []byte
}

var _ outbound.RefreshTokens = (*Codec)(nil)

// New returns a codec for key, which must be KeySize bytes (see
// LoadOrCreateKey).
func New(key []byte) (*Codec, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("refreshtoken: the key must be %d bytes", KeySize)
	}
	return &Codec{key: append([]byte(nil), key...)}, nil
}

// Encode returns the refresh token of generation gen of session id.
func (c *Codec) Encode(id session.ID, gen session.Generation) string {
	buf := make([]byte, payloadLen, rawLen)
	buf[0] = version
	copy(buf[1:], id[:])
	binary.BigEndian.PutUint64(buf[1+idLen:], uint64(gen))
	return encoding.EncodeToString(append(buf, c.tag(buf)...))
}

// Decode returns the session id and generation of a token this server
// issued, and outbound.ErrRefreshTokenInvalid for anything else.
func (c *Codec) Decode(token string) (session.ID, session.Generation, error) {
	if len(token) != encodedLen {
		return session.ID{}, 0, outbound.ErrRefreshTokenInvalid
	}
	raw, err := encoding.DecodeString(token)
	if err != nil || len(raw) != rawLen || raw[0] != version {
		return session.ID{}, 0, outbound.ErrRefreshTokenInvalid
	}
	payload, mac := raw[:payloadLen], raw[payloadLen:]
	if !hmac.Equal(mac, c.tag(payload)) { // constant time
		return session.ID{}, 0, outbound.ErrRefreshTokenInvalid
	}
	var id session.ID
	copy(id[:], payload[1:])
	gen := binary.BigEndian.Uint64(payload[1+idLen:])
	return id, session.Generation(gen), nil
}

// tag is HMAC-SHA256(key, domain || payload).
func (c *Codec) tag(payload []byte) []byte {
	h := hmac.New(sha256.New, c.key)
	h.Write([]byte(domain))
	h.Write(payload)
	return h.Sum(nil)
}
