package memory

import (
	"encoding/binary"
	"sync/atomic"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/ports/outbound"
)

// IDs is an outbound.IDGenerator that yields valid, increasing UUIDv7-shaped
// ids from a counter (00000000-0000-7000-8000-000000000001, ...), so test
// output is predictable.
type IDs struct{ n atomic.Uint64 }

var _ outbound.IDGenerator = (*IDs)(nil)

// NewID returns the next id.
func (g *IDs) NewID() ident.UUID {
	var id ident.UUID
	id[6], id[8] = 0x70, 0x80 // version 7, RFC 9562 variant
	binary.BigEndian.PutUint64(id[8:], 0x8000_0000_0000_0000|g.n.Add(1))
	return id
}
