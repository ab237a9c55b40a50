package contract

import (
	"testing"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/outbound"
)

// RunAuditImporter checks outbound.AuditImporter, the idempotent path by
// which events committed in a session store reach the audit log. It needs
// Stores.AuditImport and Stores.Audit of the same log.
func RunAuditImporter(t *testing.T, newStores NewStores) {
	runAll(t, newStores, []test{
		{"ImportKeepsEveryField", auditImportRoundTrip},
		{"ImportTwiceStoresEachEventOnce", auditImportTwice},
		{"ImportKeepsTheEventAlreadyStored", auditImportKeepsFirst},
		{"ImportOfNoEventsSucceeds", auditImportNothing},
	})
}

func (f *fixture) importEvents(events ...audit.Event) {
	f.Helper()
	f.must(f.AuditImport.Import(f.ctx, events))
}

func auditImportRoundTrip(f *fixture) {
	u := f.addUser("ada@example.com")
	full := audit.Event{
		ID: audit.ID(f.id()), Type: audit.Refreshed, UserID: u.ID(), SessionID: session.ID(f.id()),
		IP: "2001:db8::1", UserAgent: "Mozilla/5.0 (X11; Linux x86_64)", At: t0, // t0 has nanoseconds
		Detail: map[string]string{"note": `"quoted" ünïcødé`},
	}
	bare := audit.Event{ID: audit.ID(f.id()), Type: audit.Logout, At: t0.Add(time.Second)}
	f.importEvents(full, bare)
	got := f.listEvents(outbound.AuditQuery{Limit: 10})
	f.sameEventIDs("List after Import", got, bare, full)
	f.sameEvent(got[0], bare)
	f.sameEvent(got[1], full)
}

// A batch handed over again, whole or overlapping a new one, lands once:
// the log may already hold any of its events.
func auditImportTwice(f *fixture) {
	u := f.addUser("ada@example.com").ID()
	recorded := f.record(audit.LoginSucceeded, u, t0)
	a, b, c := f.newEvent(audit.Refreshed, u, t0), f.newEvent(audit.RefreshGraceHit, u, t0), f.newEvent(audit.Logout, u, t0)
	f.importEvents(a, b)
	f.importEvents(a, b)
	f.importEvents(b, c, recorded)
	f.sameEventIDs("List", f.listEvents(outbound.AuditQuery{Limit: 10}), c, b, a, recorded)
}

// An id the log holds keeps its stored event: Import never overwrites.
func auditImportKeepsFirst(f *fixture) {
	u := f.addUser("ada@example.com").ID()
	first := f.newEvent(audit.Refreshed, u, t0)
	f.importEvents(first)
	other := first
	other.Type, other.IP = audit.Logout, "192.0.2.1"
	f.importEvents(other)
	got := f.listEvents(outbound.AuditQuery{Limit: 10})
	f.sameEventIDs("List", got, first)
	f.sameEvent(got[0], first)
}

func auditImportNothing(f *fixture) {
	f.importEvents()
	if got := f.listEvents(outbound.AuditQuery{Limit: 10}); len(got) != 0 {
		f.Fatalf("an empty import stored %d events", len(got))
	}
}
