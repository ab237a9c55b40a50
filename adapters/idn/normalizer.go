// Package idn puts email addresses into the one form authd stores and
// compares (outbound.EmailNormalizer), with golang.org/x/net/idna for the
// domain (UTS #46 mapping, IDNA2008 validation, A-labels) and
// golang.org/x/text/width for fullwidth and halfwidth forms.
package idn

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/width"

	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/outbound"
)

// Normalizer is the email normal form:
//
//  1. trim white space; fold fullwidth and halfwidth forms to their
//     ordinary characters (ａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ is ada@example.com);
//  2. the local part must then be ASCII, and is lower-cased: a Cyrillic or
//     Greek letter that looks like a Latin one never makes a second
//     account (RFC 6531 internationalised local parts are refused);
//  3. the domain goes through UTS #46 processing for lookup (case folding,
//     NFC, mapping, IDNA2008 validity, the Bidi and joiner rules, DNS
//     length limits) and is stored as A-labels: bücher.example is
//     xn--bcher-kva.example;
//  4. each label, as Unicode, must not mix scripts (Latin "аpple" with a
//     Cyrillic а is refused; Han with Hiragana, Katakana, Hangul or
//     Bopomofo and Latin is allowed, as written Japanese, Chinese and
//     Korean mix them), and a Cyrillic or Greek label made only of letters
//     that look like Latin ones (асе, οο) is refused as a whole-script
//     look-alike.
type Normalizer struct{ profile *idna.Profile }

var _ outbound.EmailNormalizer = (*Normalizer)(nil)

// New returns the normalizer.
func New() *Normalizer {
	return &Normalizer{profile: idna.New(
		idna.MapForLookup(), idna.BidiRule(), idna.ValidateLabels(true),
		idna.StrictDomainName(true), idna.VerifyDNSLength(true), idna.Transitional(false),
	)}
}

func invalid(msg string) error { return validation.Invalid("email", msg) }

// Normalize returns the normal form of raw, or a validation error for the
// field "email". Input that is not an address at all is returned as it is,
// for user.ParseEmail to refuse with its own message.
func (n *Normalizer) Normalize(raw string) (string, error) {
	s := width.Fold.String(strings.TrimSpace(raw))
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return s, nil
	}
	local, domain := s[:at], s[at+1:]
	for i := 0; i < len(local); i++ {
		if local[i] >= utf8.RuneSelf {
			return "", invalid("must have a local part (before the @) in ASCII")
		}
	}
	ascii, err := n.profile.ToASCII(domain)
	if err != nil {
		return "", invalid("must have a valid domain name")
	}
	for label := range strings.SplitSeq(ascii, ".") {
		if err := checkLabel(label); err != nil {
			return "", err
		}
	}
	return strings.ToLower(local) + "@" + ascii, nil
}

// checkLabel refuses an A-label whose Unicode form mixes scripts or is a
// whole-script look-alike of a Latin label.
func checkLabel(label string) error {
	if !strings.HasPrefix(label, "xn--") {
		return nil // LDH: ASCII letters, digits and hyphens only
	}
	u, err := idna.Punycode.ToUnicode(label)
	if err != nil {
		return invalid("must have a valid domain name")
	}
	scripts := map[*unicode.RangeTable]bool{}
	lookalikes := true
	for _, r := range u {
		if !unicode.IsLetter(r) {
			continue
		}
		s := scriptOf(r)
		scripts[s] = true
		if !strings.ContainsRune(latinLookalikes, r) {
			lookalikes = false
		}
	}
	if !allowedMix(scripts) {
		return invalid("must not mix scripts in a domain label")
	}
	if lookalikes && (scripts[unicode.Cyrillic] || scripts[unicode.Greek]) {
		return invalid("must not have a domain label that only imitates Latin letters")
	}
	return nil
}

// scripts are the scripts told apart; a letter of any other script counts
// as its own (unknown) script.
var scripts = []*unicode.RangeTable{
	unicode.Latin, unicode.Cyrillic, unicode.Greek, unicode.Armenian, unicode.Hebrew, unicode.Arabic,
	unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo, unicode.Thai,
	unicode.Devanagari, unicode.Georgian,
}

var otherScript = &unicode.RangeTable{}

func scriptOf(r rune) *unicode.RangeTable {
	for _, t := range scripts {
		if unicode.Is(t, r) {
			return t
		}
	}
	return otherScript
}

// allowedMix is UTS #39's "highly restrictive" level: one script, or Latin
// with Han and Hiragana/Katakana (Japanese), Han and Bopomofo (Chinese), or
// Han and Hangul (Korean).
func allowedMix(used map[*unicode.RangeTable]bool) bool {
	if len(used) <= 1 {
		return true
	}
	for _, set := range [][]*unicode.RangeTable{
		{unicode.Latin, unicode.Han, unicode.Hiragana, unicode.Katakana},
		{unicode.Latin, unicode.Han, unicode.Bopomofo},
		{unicode.Latin, unicode.Han, unicode.Hangul},
	} {
		inSet := 0
		for _, t := range set {
			if used[t] {
				inSet++
			}
		}
		if inSet == len(used) {
			return true
		}
	}
	return false
}

// latinLookalikes are lower-case Cyrillic and Greek letters that render
// like a Latin letter (UTS #39 confusables): a label made only of them
// reads as a Latin word.
const latinLookalikes = "аеорсухіјѕԁԛԝһӏгпьтмнвкαεικνοτυχρ"
