package application

import (
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// eventFactory stamps audit events with an id and the time.
type eventFactory struct {
	clock outbound.Clock
	ids   outbound.IDGenerator
}

// new builds an event; detail holds only non-secret facts. A zero userID or
// sessionID means the event concerns none. The user agent is bounded as a
// session's is.
func (f eventFactory) new(t audit.Type, userID user.ID, sessionID session.ID, client inbound.Client, detail map[string]string) audit.Event {
	return audit.Event{
		ID: audit.ID(f.ids.NewID()), Type: t, UserID: userID, SessionID: sessionID,
		IP: client.IP, UserAgent: session.BoundUserAgent(client.UserAgent), At: f.clock.Now(), Detail: detail,
	}
}
