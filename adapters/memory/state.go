package memory

import (
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// state is the data of a Store, kept as snapshots so that no caller ever
// holds a pointer into it.
type state struct {
	users    map[user.ID]user.Snapshot
	emails   map[string]user.ID
	sessions map[session.ID]session.Snapshot
}

func newState() state {
	return state{
		users:    map[user.ID]user.Snapshot{},
		emails:   map[string]user.ID{},
		sessions: map[session.ID]session.Snapshot{},
	}
}
