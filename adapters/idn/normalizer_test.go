package idn_test

import (
	"errors"
	"testing"

	"github.com/authd/authd/adapters/idn"
	"github.com/authd/authd/domain/validation"
)

func TestOneMailboxHasOneForm(t *testing.T) {
	n := idn.New()
	for _, tc := range []struct{ in, want string }{
		{"ada@example.com", "ada@example.com"},
		{"  Ada@Example.COM ", "ada@example.com"},
		{"idn@bücher.example", "idn@xn--bcher-kva.example"},
		{"idn@xn--bcher-kva.example", "idn@xn--bcher-kva.example"},
		{"idn@BÜCHER.example", "idn@xn--bcher-kva.example"},
		{"idn@bu\u0308cher.example", "idn@xn--bcher-kva.example"}, // decomposed ü: NFC first
		{"ａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ada@example.com"},                    // fullwidth
		{"ada@example。com", "ada@example.com"},                    // ideographic full stop
		{"user@пример.рф", "user@xn--e1afmkfd.xn--p1ai"},          // one script per label
		{"user@例え.jp", "user@xn--r8jz45g.jp"},                     // Han with Hiragana
		{"not-an-address", "not-an-address"},                      // left for ParseEmail
	} {
		got, err := n.Normalize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestLookAlikesAreRefused(t *testing.T) {
	n := idn.New()
	for _, in := range []string{
		"аda@example.com",                      // Cyrillic а in the local part
		"ada@exаmple.com",                      // Cyrillic а inside a Latin label
		"ada@xn--exmple-4nf.com",               // the same, sent as its A-label
		"ada@аррӏе.com",                        // all-Cyrillic imitation of "apple"
		"ada@οο.example",                       // Greek omicrons imitating "oo"
		"ada@exa mple.com",                     // not a domain name
		"ada@-example.com",                     // leading hyphen
		"ada@ex\u200dample.com",                // a joiner outside its context
		"δοκιμή@example.com",                   // non-ASCII local part
		"ada@" + string(rune(0xE000)) + ".com", // private use
	} {
		got, err := n.Normalize(in)
		var ve *validation.Error
		if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != "email" {
			t.Errorf("Normalize(%q) = %q, %v; want a validation error for email", in, got, err)
		}
	}
}
