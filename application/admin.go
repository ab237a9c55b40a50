package application

import (
	"encoding/base64"
	"strings"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

// requireAdmin is the authorisation decision of every admin use case. The
// principal's user is the current record (read on this request), so a
// demotion takes effect at once.
func requireAdmin(p inbound.Principal) error {
	if p.User == nil || !p.User.Role().IsAdmin() {
		return inbound.ErrForbidden
	}
	return nil
}

// pageSize applies the default and bounds of the admin listings.
func pageSize(limit int) (int, error) {
	switch {
	case limit == 0:
		return inbound.DefaultPageSize, nil
	case limit < 1 || limit > inbound.MaxPageSize:
		return 0, user.Invalid("limit", "must be between 1 and 100")
	}
	return limit, nil
}

// Cursors are the id of the last item of a page, base64url-encoded so that
// clients treat them as opaque.
func encodeCursor(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

func decodeCursor(cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !isUUID(string(raw)) {
		return "", user.Invalid("cursor", "is not a cursor this server issued")
	}
	return string(raw), nil
}

// isUUID reports whether s is a lower-case canonical UUID, the only id form
// authd issues; anything else cannot name a stored row.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case !strings.ContainsRune("0123456789abcdef", r):
			return false
		}
	}
	return true
}
