package httpapi

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
)

// maxLimitDigits bounds the digits of ?limit=, so that a huge number is
// refused as out of range rather than overflowing.
const maxLimitDigits = 3

// queryReader reads single-valued query parameters and collects every
// problem into one validation error, as the JSON decoder does for bodies.
// Unknown parameters are ignored; a repeated one is refused, since there is
// no good answer to which value would win.
type queryReader struct {
	c        *gin.Context
	problems validation.Error
}

func newQueryReader(c *gin.Context) *queryReader { return &queryReader{c: c} }

// text returns the parameter's value, "" when absent.
func (q *queryReader) text(name string) string {
	values := q.c.QueryArray(name)
	switch len(values) {
	case 0:
		return ""
	case 1:
		return values[0]
	}
	q.problems.Add(name, "must be given at most once")
	return ""
}

// userID reads an optional user id: the zero id when absent, a validation
// problem when it is not a UUID.
func (q *queryReader) userID(name string) user.ID {
	raw := q.text(name)
	if raw == "" {
		return user.ID{}
	}
	id, err := user.ParseID(raw)
	if err != nil {
		q.problems.Add(name, "must be a user id")
	}
	return id
}

// limit reads ?limit=: inbound.DefaultPageSize when absent, otherwise a
// plain decimal integer from 1 to inbound.MaxPageSize ("", "+5" and "5.0"
// are refused).
func (q *queryReader) limit() int {
	values := q.c.QueryArray("limit")
	switch {
	case len(values) == 0:
		return inbound.DefaultPageSize
	case len(values) > 1:
		q.problems.Add("limit", "must be given at most once")
		return 0
	}
	if n, ok := parseDecimal(values[0]); ok && n >= 1 && n <= inbound.MaxPageSize {
		return n
	}
	q.problems.Add("limit", "must be an integer from 1 to "+strconv.Itoa(inbound.MaxPageSize))
	return 0
}

// parseDecimal accepts 1 to maxLimitDigits ASCII digits and nothing else.
func parseDecimal(s string) (int, bool) {
	if len(s) == 0 || len(s) > maxLimitDigits {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// err returns the collected problems, or nil.
func (q *queryReader) err() error { return q.problems.OrNil() }
