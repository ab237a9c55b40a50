package gormstore

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/ports/outbound"
)

func (r outboxRow) toMessage() (outbound.OutboxMessage, error) {
	id, err := ident.Parse(r.ID)
	if err != nil {
		return outbound.OutboxMessage{}, fmt.Errorf("gormstore: stored mail has a malformed id: %w", err)
	}
	return outbound.OutboxMessage{
		ID: id, Purpose: outbound.MailPurpose(r.Purpose), To: r.Recipient, Payload: r.Payload,
		CreatedAt: r.CreatedAt.UTC(), Attempt: r.Attempts,
	}, nil
}

// sortMessages puts claimed messages in enqueue order (RETURNING gives
// none): by creation time, then id.
func sortMessages(ms []outbound.OutboxMessage) {
	slices.SortFunc(ms, func(a, b outbound.OutboxMessage) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), a.ID.Compare(b.ID))
	})
}
