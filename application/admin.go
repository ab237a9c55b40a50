package application

import (
	"encoding/base64"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/validation"
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
		return 0, validation.Invalid("limit", "must be between 1 and 100")
	}
	return limit, nil
}

// Cursors are the id of the last item of a page, base64url-encoded so that
// clients treat them as opaque.
func encodeCursor(id ident.UUID) string {
	return base64.RawURLEncoding.EncodeToString([]byte(id.String()))
}

// decodeCursor returns the id a cursor holds; the zero id for no cursor.
func decodeCursor(cursor string) (ident.UUID, error) {
	if cursor == "" {
		return ident.UUID{}, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return ident.UUID{}, validation.Invalid("cursor", "is not a cursor this server issued")
	}
	id, err := ident.Parse(string(raw))
	if err != nil || id.String() != string(raw) {
		return ident.UUID{}, validation.Invalid("cursor", "is not a cursor this server issued")
	}
	return id, nil
}
