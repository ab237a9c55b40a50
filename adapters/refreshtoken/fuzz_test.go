package refreshtoken

import (
	"errors"
	"testing"

	"github.com/authd/authd/ports/outbound"
)

// FuzzDecode feeds arbitrary strings to Decode: it must never panic, must
// fail only with ErrRefreshTokenInvalid, and whatever it accepts must be a
// token Encode produces for the decoded pair (so nothing forged passes).
func FuzzDecode(f *testing.F) {
	c := newCodec(f, 1)
	good := c.Encode(sid, 42)
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add(good + "A")
	f.Add(newCodec(f, 2).Encode(sid, 42))
	f.Add("")
	f.Add("eyJhbGciOiJFZERTQSJ9.e30.sig")

	f.Fuzz(func(t *testing.T, tok string) {
		id, gen, err := c.Decode(tok)
		if err != nil {
			if !errors.Is(err, outbound.ErrRefreshTokenInvalid) {
				t.Fatalf("Decode = %v", err)
			}
			return
		}
		if c.Encode(id, gen) != tok {
			t.Fatalf("Decode accepted %q, which Encode does not produce", tok)
		}
	})
}
