package contract

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// RunAuditLog checks outbound.AuditLog.
func RunAuditLog(t *testing.T, newStores NewStores) {
	runAll(t, newStores, []test{
		{"RecordThenListKeepsEveryField", auditRoundTrip},
		{"ListIsNewestFirst", auditNewestFirst},
		{"ListFiltersByUserAndType", auditFilters},
		{"PagesCoverEveryEventOnce", auditPagination},
		{"EventsCommitAndRollBackWithTheTransaction", auditTransaction},
		{"EventsOutliveTheirUser", auditSurvivesUserDeletion},
		{"RecordWithATakenIDFailsAndLeavesTheTransactionUsable", auditTakenID},
		{"CallersCannotChangeStoredDetail", auditDetailIsCopied},
	})
}

// newEvent builds an event with a new id; ids of later calls sort after
// earlier ones, as UUIDv7 ids of later events do.
func (f *fixture) newEvent(t audit.Type, userID user.ID, at time.Time) audit.Event {
	return audit.Event{
		ID: audit.ID(f.id()), Type: t, UserID: userID,
		IP: "198.51.100.23", UserAgent: "curl/8.5.0", At: at,
	}
}

// record stores a new event and returns it.
func (f *fixture) record(t audit.Type, userID user.ID, at time.Time) audit.Event {
	f.Helper()
	e := f.newEvent(t, userID, at)
	f.must(f.Audit.Record(f.ctx, e))
	return e
}

// listEvents runs a List that must succeed.
func (f *fixture) listEvents(q outbound.AuditQuery) []audit.Event {
	f.Helper()
	got, err := f.Audit.List(f.ctx, q)
	f.must(err)
	return got
}

func eventIDs(es []audit.Event) []audit.ID {
	ids := make([]audit.ID, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids
}

func (f *fixture) sameEventIDs(what string, got []audit.Event, want ...audit.Event) {
	f.Helper()
	if g, w := eventIDs(got), eventIDs(want); !slices.Equal(g, w) {
		f.Fatalf("%s = %v, want %v", what, g, w)
	}
}

// eventView is an event without its detail map, so that it compares with
// ==, and with its time truncated to the microsecond.
type eventView struct {
	ID, Type, UserID, SessionID, IP, UserAgent string
	At                                         time.Time
}

func viewEvent(e audit.Event) eventView {
	return eventView{
		ID: e.ID.String(), Type: string(e.Type), UserID: e.UserID.String(), SessionID: e.SessionID.String(),
		IP: e.IP, UserAgent: e.UserAgent, At: toMicros(e.At),
	}
}

// sameEvent compares every field, times to the microsecond. A nil and an
// empty Detail are the same: both mean "no detail".
func (f *fixture) sameEvent(got, want audit.Event) {
	f.Helper()
	if g, w := viewEvent(got), viewEvent(want); g != w {
		f.Fatalf("event differs:\n got %+v\nwant %+v", g, w)
	}
	if !maps.Equal(got.Detail, want.Detail) {
		f.Fatalf("event %s detail = %v, want %v", got.ID, got.Detail, want.Detail)
	}
}

func auditRoundTrip(f *fixture) {
	u := f.addUser("ada@example.com")
	s := f.addSession(u, t0)
	full := audit.Event{
		ID: audit.ID(f.id()), Type: audit.SessionRevoked, UserID: u.ID(), SessionID: s.ID(),
		IP: "2001:db8::1", UserAgent: "Mozilla/5.0 (X11; Linux x86_64)", At: t0, // t0 has nanoseconds
		Detail: map[string]string{"reason": "admin", "count": "3", "note": `"quoted" ünïcødé, {braces}`},
	}
	f.must(f.Audit.Record(f.ctx, full))
	// A failed login for an unknown email: no user, no session, no detail.
	bare := audit.Event{ID: audit.ID(f.id()), Type: audit.LoginFailed, At: t0.Add(time.Second)}
	f.must(f.Audit.Record(f.ctx, bare))

	got := f.listEvents(outbound.AuditQuery{Limit: 10})
	f.sameEventIDs("List", got, bare, full)
	f.sameEvent(got[0], bare)
	f.sameEvent(got[1], full)
	if loc := got[1].At.Location(); loc != time.UTC {
		f.Errorf("At comes back in %v, want UTC", loc)
	}
}

func auditNewestFirst(f *fixture) {
	events := make([]audit.Event, 5)
	for i := range events {
		events[i] = f.newEvent(audit.LoginSucceeded, user.ID{}, t0.Add(time.Duration(i)*time.Minute))
	}
	// Recorded out of order: the order of List is the ids', not insertion's.
	for _, i := range []int{3, 0, 4, 1, 2} {
		f.must(f.Audit.Record(f.ctx, events[i]))
	}
	e := events
	f.sameEventIDs("List", f.listEvents(outbound.AuditQuery{Limit: 10}), e[4], e[3], e[2], e[1], e[0])
	f.sameEventIDs("List with limit 2", f.listEvents(outbound.AuditQuery{Limit: 2}), e[4], e[3])
}

func auditFilters(f *fixture) {
	a := f.addUser("ada@example.com").ID()
	b := f.addUser("grace@example.com").ID()
	aLogin := f.record(audit.LoginSucceeded, a, t0)
	bLogin := f.record(audit.LoginSucceeded, b, t0)
	aLogout := f.record(audit.Logout, a, t0)
	unknown := f.record(audit.LoginFailed, user.ID{}, t0)
	bLogout := f.record(audit.Logout, b, t0)
	aLogin2 := f.record(audit.LoginSucceeded, a, t0)
	for _, tc := range []struct {
		what string
		q    outbound.AuditQuery
		want []audit.Event
	}{
		{"user a", outbound.AuditQuery{UserID: a}, []audit.Event{aLogin2, aLogout, aLogin}},
		{"type login_succeeded", outbound.AuditQuery{Type: audit.LoginSucceeded}, []audit.Event{aLogin2, bLogin, aLogin}},
		{"type login_failed", outbound.AuditQuery{Type: audit.LoginFailed}, []audit.Event{unknown}},
		{"user b and type logout", outbound.AuditQuery{UserID: b, Type: audit.Logout}, []audit.Event{bLogout}},
		{"user a and type login_failed", outbound.AuditQuery{UserID: a, Type: audit.LoginFailed}, nil},
		{"a user without events", outbound.AuditQuery{UserID: user.ID(f.id())}, nil},
	} {
		tc.q.Limit = 10
		f.sameEventIDs("List of "+tc.what, f.listEvents(tc.q), tc.want...)
	}
}

// Paging with Before = the last id of the previous page, as the admin API
// does, visits every event exactly once, with and without a filter.
func auditPagination(f *fixture) {
	a := f.addUser("ada@example.com").ID()
	b := f.addUser("grace@example.com").ID()
	var all, ofA []audit.Event
	for i := range 8 {
		owner := []user.ID{a, b, a}[i%3]
		e := f.record(audit.Refreshed, owner, t0.Add(time.Duration(i)*time.Second))
		all = append([]audit.Event{e}, all...) // newest first
		if owner == a {
			ofA = append([]audit.Event{e}, ofA...)
		}
	}
	for _, tc := range []struct {
		what string
		q    outbound.AuditQuery
		want []audit.Event
	}{
		{"every event", outbound.AuditQuery{Limit: 3}, all},
		{"events of a", outbound.AuditQuery{UserID: a, Limit: 2}, ofA},
	} {
		var seen []audit.Event
		for pages := 0; ; pages++ {
			if pages > len(tc.want) {
				f.Fatalf("%s: paging does not end", tc.what)
			}
			page := f.listEvents(tc.q)
			if len(page) > tc.q.Limit {
				f.Fatalf("%s: page of %d events, limit %d", tc.what, len(page), tc.q.Limit)
			}
			if len(page) == 0 {
				break
			}
			seen = append(seen, page...)
			tc.q.Before = page[len(page)-1].ID
		}
		f.sameEventIDs(tc.what+", page by page", seen, tc.want...)
	}
}
