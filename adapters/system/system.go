// Package system holds the sources of time and identifiers: the real clock
// and UUIDv7 ids for production, and ManualClock, the settable clock tests
// use in their place.
package system

import (
	"time"

	"github.com/google/uuid"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/ports/outbound"
)

// Clock is the real clock. Times are in UTC so that what is stored, logged
// and compared never depends on the host's zone.
type Clock struct{}

var _ outbound.Clock = Clock{}

// Now returns the current time in UTC.
func (Clock) Now() time.Time { return time.Now().UTC() }

// UUIDv7 makes UUIDv7 ids (RFC 9562 §5.7): a millisecond timestamp first, so
// ids sort by creation time and index well, then random bits. Within one
// process google/uuid keeps them strictly increasing, even within a
// millisecond.
type UUIDv7 struct{}

var _ outbound.IDGenerator = UUIDv7{}

// NewID returns a new id.
func (UUIDv7) NewID() ident.UUID {
	id, err := uuid.NewV7()
	if err != nil {
		// Only a failing system random source gets here; no id can be
		// made safely, and carrying on with a predictable one would be worse.
		panic("system: cannot read random bytes for a UUIDv7: " + err.Error())
	}
	return ident.UUID(id)
}
