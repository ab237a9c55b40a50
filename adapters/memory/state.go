package memory

import (
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// state is the data of a Store, kept as snapshots so that no caller ever
// holds a pointer into it.
type state struct {
	users    map[user.ID]user.Snapshot
	emails   map[string]user.ID
	sessions map[session.ID]session.Snapshot
	// events are keyed by id. Their Detail maps are copied on the way in
	// and out and never changed in place, so the events are values too.
	events map[audit.ID]audit.Event
	// secrets and outbox are values too: snapshots and outbox entries
	// whose byte slices are never changed in place.
	secrets map[onetime.ID]onetime.Snapshot
	outbox  map[ident.UUID]outboxEntry
}

func newState() state {
	return state{
		users:    map[user.ID]user.Snapshot{},
		emails:   map[string]user.ID{},
		sessions: map[session.ID]session.Snapshot{},
		events:   map[audit.ID]audit.Event{},
		secrets:  map[onetime.ID]onetime.Snapshot{},
		outbox:   map[ident.UUID]outboxEntry{},
	}
}
