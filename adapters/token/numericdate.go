package token

import (
	"bytes"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// errDateNotNumber refuses a date claim written as a JSON string.
var errDateNotNumber = errors.New("date claim is not a JSON number")

// numericDate is a JWT NumericDate (RFC 7519 §2) that must be a JSON number.
// jwt.NumericDate also accepts a string holding digits ("1767225600"),
// which RFC 7519 does not allow; a token written that way is not one this
// server issued, so it is refused as malformed before any claim check.
type numericDate struct {
	jwt.NumericDate
}

func newNumericDate(t time.Time) *numericDate {
	return &numericDate{NumericDate: *jwt.NewNumericDate(t)}
}

// UnmarshalJSON reads the raw claim: anything but a JSON number (a string,
// a boolean, an object) is refused. null never reaches here: the claim is
// then absent.
func (d *numericDate) UnmarshalJSON(raw []byte) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return errDateNotNumber
	}
	return d.NumericDate.UnmarshalJSON(raw)
}

// date is the library's view of d; nil stays nil, so an absent claim is
// still reported as absent.
func (d *numericDate) date() *jwt.NumericDate {
	if d == nil {
		return nil
	}
	return &d.NumericDate
}
