package memory

import (
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/identity"
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
	// identities are keyed by id; subjects finds one by provider and
	// subject (subjectKey).
	identities map[identity.ID]identity.Snapshot
	subjects   map[string]identity.ID
	flows      map[identity.SecretHash]identity.FlowSnapshot
	codes      map[identity.SecretHash]identity.LoginCode
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

		identities: map[identity.ID]identity.Snapshot{},
		subjects:   map[string]identity.ID{},
		flows:      map[identity.SecretHash]identity.FlowSnapshot{},
		codes:      map[identity.SecretHash]identity.LoginCode{},
		secrets:    map[onetime.ID]onetime.Snapshot{},
		outbox:     map[ident.UUID]outboxEntry{},
	}
}

// dropUser removes what belongs to a deleted user in the users' store, as
// the SQL schema's foreign keys do: identities, link flows, login codes and
// one-time secrets.
func (st *state) dropUser(id user.ID) {
	for iid, sn := range st.identities {
		if sn.UserID == id {
			delete(st.identities, iid)
			delete(st.subjects, subjectKey(sn.Provider, sn.Subject))
		}
	}
	for h, f := range st.flows {
		if f.LinkUser == id {
			delete(st.flows, h)
		}
	}
	for h, c := range st.codes {
		if c.UserID == id {
			delete(st.codes, h)
		}
	}
	for sid, sn := range st.secrets {
		if sn.UserID == id {
			delete(st.secrets, sid)
		}
	}
}
