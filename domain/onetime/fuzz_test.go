package onetime_test

import (
	"encoding/base64"
	"testing"

	"github.com/authd/authd/domain/onetime"
)

// FuzzParseToken: ParseToken never panics, and whatever it accepts is the
// one spelling of 32 bytes in unpadded base64url, so a token has one text.
func FuzzParseToken(f *testing.F) {
	tok, err := onetime.NewToken()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tok.Reveal())
	f.Add(tok.Reveal()[:42])
	f.Add(tok.Reveal() + "=")
	f.Add("")
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")
	f.Fuzz(func(t *testing.T, s string) {
		parsed, err := onetime.ParseToken(s)
		if err != nil {
			return
		}
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || len(b) != onetime.TokenBytes || base64.RawURLEncoding.EncodeToString(b) != s || parsed.Reveal() != s {
			t.Fatalf("ParseToken accepted %q, which is not the canonical text of 32 bytes", s)
		}
	})
}

// FuzzParseCode: ParseCode never panics and accepts exactly six ASCII
// digits, unchanged.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"123456", "000000", "12345", "1234567", "12a456", "١٢٣٤٥٦", " 12345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parsed, err := onetime.ParseCode(s)
		six := len(s) == 6
		for i := 0; six && i < len(s); i++ {
			six = s[i] >= '0' && s[i] <= '9'
		}
		if (err == nil) != six {
			t.Fatalf("ParseCode(%q) err = %v", s, err)
		}
		if err == nil && parsed.Reveal() != s {
			t.Fatalf("ParseCode(%q) = %q", s, parsed.Reveal())
		}
	})
}
