package onetime

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
)

// TokenBytes is the entropy of a link token: 256 bits.
const TokenBytes = 32

// TokenLength is the length of a token's text: unpadded base64url.
const TokenLength = 43

// CodeDigits is the length of a code.
const CodeDigits = 6

// Token is a link token: TokenBytes random bytes in unpadded base64url,
// the form that rides in a link's fragment (#token=...). It redacts itself
// when printed; Reveal returns the text for the one place it belongs, the
// mail.
type Token struct{ text string }

// Code is a 6-digit code, the form a person types. It redacts itself like
// Token.
type Code struct{ text string }

// redacted is what a Token or a Code shows of itself.
const redacted = "[REDACTED]"

// NewToken makes a token from the system's random source.
func NewToken() (Token, error) {
	var b [TokenBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return Token{}, fmt.Errorf("onetime: read random bytes: %w", err)
	}
	return Token{text: base64.RawURLEncoding.EncodeToString(b[:])}, nil
}

// NewCode makes a code, uniform over 000000 to 999999.
func NewCode() (Code, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return Code{}, fmt.Errorf("onetime: read random bytes: %w", err)
	}
	return Code{text: fmt.Sprintf("%06d", n.Int64())}, nil
}

// errMalformed is why a text is not a token or code; callers answer
// ErrInvalid, so it never reaches a client.
var errMalformed = errors.New("onetime: malformed")

// ParseToken accepts exactly the form NewToken makes: 43 characters of the
// base64url alphabet that decode to 32 bytes (so the unused low bits of the
// last character are zero and one token has one spelling).
func ParseToken(s string) (Token, error) {
	if len(s) != TokenLength {
		return Token{}, errMalformed
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != TokenBytes {
		return Token{}, errMalformed
	}
	return Token{text: s}, nil
}

// ParseCode accepts exactly six ASCII digits: no spaces, signs or other
// digit scripts.
func ParseCode(s string) (Code, error) {
	if len(s) != CodeDigits {
		return Code{}, errMalformed
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return Code{}, errMalformed
		}
	}
	return Code{text: s}, nil
}

// Reveal returns the token's text.
func (t Token) Reveal() string { return t.text }

// IsZero reports whether t was never made or parsed.
func (t Token) IsZero() bool { return t.text == "" }

func (Token) String() string               { return redacted }
func (Token) GoString() string             { return redacted }
func (Token) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// Reveal returns the code's digits.
func (c Code) Reveal() string { return c.text }

// IsZero reports whether c was never made or parsed.
func (c Code) IsZero() bool { return c.text == "" }

func (Code) String() string               { return redacted }
func (Code) GoString() string             { return redacted }
func (Code) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// Digest is the stored form of a token or a code.
type Digest [sha256.Size]byte

// Equal compares in constant time.
func (d Digest) Equal(o Digest) bool { return subtle.ConstantTimeCompare(d[:], o[:]) == 1 }

// IsZero reports whether d was never computed.
func (d Digest) IsZero() bool { return d == Digest{} }

// MinKeyBytes is the shortest key a Hasher takes.
const MinKeyBytes = 32

// Hasher makes the digests that storage keeps: HMAC-SHA-256 under a server
// key. A token has 256 bits of entropy, so its digest alone already resists
// guessing; a code has only 10^6 values, and keying the digest is what
// keeps a copy of the database from yielding it. A code's digest also
// covers its secret's id, so equal codes of two secrets differ in storage.
type Hasher struct{ key []byte }

// NewHasher takes a key of at least MinKeyBytes random bytes.
func NewHasher(key []byte) (Hasher, error) {
	if len(key) < MinKeyBytes {
		return Hasher{}, fmt.Errorf("onetime: a hasher key needs at least %d bytes", MinKeyBytes)
	}
	return Hasher{key: append([]byte(nil), key...)}, nil
}

// Token returns the digest of a token, the key a secret is found by.
func (h Hasher) Token(t Token) Digest { return h.sum("token", nil, t.text) }

// Code returns the digest of a code of the secret id.
func (h Hasher) Code(id ID, c Code) Digest { return h.sum("code", id[:], c.text) }

func (h Hasher) sum(kind string, id []byte, text string) Digest {
	if len(h.key) == 0 {
		// A zero Hasher would make guessable digests; refuse loudly.
		panic("onetime: Hasher used without a key")
	}
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write(id)
	m.Write([]byte(text))
	var d Digest
	copy(d[:], m.Sum(nil))
	return d
}
