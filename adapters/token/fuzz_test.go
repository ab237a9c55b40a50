package token

import (
	"errors"
	"strings"
	"testing"

	"github.com/authd/authd/ports/outbound"
)

// FuzzVerify feeds arbitrary strings to Verify. It must never panic, must
// fail only with the two sentinels, must never echo the input, and must
// accept nothing but the tokens this server issued.
func FuzzVerify(f *testing.F) {
	fx := newFixture(f, EdDSA)
	issued := map[string]bool{}
	for range 3 {
		tok, _, err := fx.tokens.Issue(testContext, testClaims)
		if err != nil {
			f.Fatal(err)
		}
		issued[tok] = true
	}

	for tok := range issued {
		parts := strings.Split(tok, ".")
		f.Add(tok)
		f.Add(parts[0] + "." + parts[1] + ".")
		f.Add(parts[0] + "." + parts[1])
		f.Add(tok + "=")
		f.Add(strings.ToUpper(tok))
		f.Add(flipTrailingBits(tok))
		f.Add("eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0." + parts[1] + ".")
		break
	}
	for _, s := range []string{"", ".", "..", "a.b.c", "e30.e30.", "Bearer x", strings.Repeat("A", 9000)} {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, tok string) {
		_, err := fx.tokens.Verify(testContext, tok)
		if err == nil {
			if !issued[tok] {
				t.Fatalf("Verify accepted a token the server did not issue: %q", tok)
			}
			return
		}
		if !errors.Is(err, outbound.ErrTokenInvalid) && !errors.Is(err, outbound.ErrTokenExpired) {
			t.Fatalf("Verify = %v, want a token sentinel", err)
		}
		// Reason phrases are under 64 bytes, so a longer input found in the
		// message can only have been copied there.
		if len(tok) > 64 && strings.Contains(err.Error(), tok) {
			t.Fatalf("error message echoes the input")
		}
	})
}
