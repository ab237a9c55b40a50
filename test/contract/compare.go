package contract

import (
	"slices"
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// Stored times need only keep microseconds (PostgreSQL's precision), so
// aggregates are compared through these flat forms with every time
// truncated to the microsecond, in UTC.

func toMicros(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

type userView struct {
	ID, Email, FullName, Role, PasswordHash string
	Disabled, EmailVerified                 bool
	CreatedAt, UpdatedAt                    time.Time
}

func viewUser(u *user.User) userView {
	s := u.Snapshot()
	return userView{
		ID: s.ID.String(), Email: s.Email, FullName: s.FullName, Role: s.Role, PasswordHash: s.PasswordHash,
		Disabled: s.Disabled, EmailVerified: s.EmailVerified, CreatedAt: toMicros(s.CreatedAt), UpdatedAt: toMicros(s.UpdatedAt),
	}
}

type sessionView struct {
	ID, UserID, UserAgent, IP, RevokeReason                    string
	Generation                                                 session.Generation
	CreatedAt, LastUsedAt, RotatedAt, IdleExpiresAt, ExpiresAt time.Time
	Revoked                                                    bool
	RevokedAt                                                  time.Time
}

func viewSession(s *session.Session) sessionView {
	sn := s.Snapshot()
	v := sessionView{
		ID: sn.ID.String(), UserID: sn.UserID.String(), UserAgent: sn.UserAgent, IP: sn.IP,
		RevokeReason: string(sn.RevokeReason), Generation: sn.Generation,
		CreatedAt: toMicros(sn.CreatedAt), LastUsedAt: toMicros(sn.LastUsedAt), RotatedAt: toMicros(sn.RotatedAt),
		IdleExpiresAt: toMicros(sn.IdleExpiresAt), ExpiresAt: toMicros(sn.ExpiresAt),
	}
	if sn.RevokedAt != nil {
		v.Revoked, v.RevokedAt = true, toMicros(*sn.RevokedAt)
	}
	return v
}

func (f *fixture) sameUser(got, want *user.User) {
	f.Helper()
	if g, w := viewUser(got), viewUser(want); g != w {
		f.Fatalf("user differs:\n got %+v\nwant %+v", g, w)
	}
}

func (f *fixture) sameSession(got, want *session.Session) {
	f.Helper()
	if g, w := viewSession(got), viewSession(want); g != w {
		f.Fatalf("session differs:\n got %+v\nwant %+v", g, w)
	}
}

// sessionIDs lists the ids of ss in order.
func sessionIDs(ss []*session.Session) []session.ID {
	ids := make([]session.ID, len(ss))
	for i, s := range ss {
		ids[i] = s.ID()
	}
	return ids
}

func (f *fixture) sameIDs(what string, got []*session.Session, want ...*session.Session) {
	f.Helper()
	if g, w := sessionIDs(got), sessionIDs(want); !slices.Equal(g, w) {
		f.Fatalf("%s = %v, want %v", what, g, w)
	}
}
