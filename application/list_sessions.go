package application

import (
	"context"

	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// ListSessions shows users their own active sessions.
type ListSessions struct {
	sessions outbound.SessionRepository
	clock    outbound.Clock
}

var _ inbound.ListSessions = (*ListSessions)(nil)

// NewListSessions builds the use case.
func NewListSessions(sessions outbound.SessionRepository, clock outbound.Clock) *ListSessions {
	return &ListSessions{sessions: sessions, clock: clock}
}

// Handle returns the caller's active sessions, newest first, marking the
// one the request was made with.
func (uc *ListSessions) Handle(ctx context.Context, q inbound.ListSessionsQuery) ([]inbound.SessionView, error) {
	list, err := uc.sessions.ListActive(ctx, q.Principal.User.ID(), uc.clock.Now())
	if err != nil {
		return nil, err
	}
	views := make([]inbound.SessionView, len(list))
	for i, s := range list {
		views[i] = inbound.SessionView{Session: s, Current: s.ID() == q.Principal.SessionID}
	}
	return views, nil
}
