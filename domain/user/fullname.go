package user

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/authd/authd/domain/validation"
)

// MaxFullNameLength is the longest full name, in Unicode code points.
const MaxFullNameLength = 100

// FullName is a trimmed display name of 1 to 100 code points without control
// characters.
type FullName struct{ value string }

// ParseFullName trims raw and checks length and characters.
func ParseFullName(raw string) (FullName, error) {
	s := strings.TrimSpace(raw)
	if !utf8.ValidString(s) {
		return FullName{}, validation.Invalid("fullName", "must be valid UTF-8")
	}
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return FullName{}, validation.Invalid("fullName", "is required")
	}
	if n > MaxFullNameLength {
		return FullName{}, validation.Invalid("fullName", "must be at most 100 characters")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return FullName{}, validation.Invalid("fullName", "must not contain control characters")
		}
	}
	return FullName{value: s}, nil
}

// String returns the name.
func (f FullName) String() string { return f.value }
