package redisstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/authd/authd/adapters/memory"
	"github.com/authd/authd/adapters/redisstore"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/redistest"
)

var policy = session.Policy{IdleTimeout: time.Hour, MaxLifetime: 10 * time.Hour, ReuseGrace: 10 * time.Second}

// fixture is a store on a database of its own, a raw client on the same
// database to look at the keys, and an in-memory audit log as the importer.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	store *redisstore.SessionStore
	raw   *redis.Client
	audit *memory.AuditLog
	ids   *memory.IDs
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	url := redistest.NewURL(t)
	log := memory.NewStore().Audit()
	return &fixture{t: t, ctx: t.Context(), store: openStore(t, url, log), raw: rawClient(t, url), audit: log, ids: &memory.IDs{}}
}

// rawClient connects to url to look at what the store wrote.
func rawClient(t *testing.T, url string) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// start starts a session of userID at at without storing it.
func (f *fixture) start(userID user.ID, at time.Time, p session.Policy) *session.Session {
	f.t.Helper()
	s, err := session.Start(session.ID(f.ids.NewID()), userID, at, p, "curl/8.5.0", "203.0.113.7")
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *fixture) add(s *session.Session) {
	f.t.Helper()
	if err := f.store.Sessions().Add(f.ctx, s); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) newUserID() user.ID { return user.ID(f.ids.NewID()) }

// pexpiretime returns the absolute expiry of key in Unix milliseconds.
func (f *fixture) pexpiretime(key string) int64 {
	f.t.Helper()
	ms, err := f.raw.Do(f.ctx, "pexpiretime", key).Int64()
	if err != nil {
		f.t.Fatal(err)
	}
	return ms
}

func sessionKey(id session.ID) string { return "authd:session:" + id.String() }
func indexKey(id user.ID) string      { return "authd:user-sessions:" + id.String() }

// A session's key expires by itself at the session's deadline (the idle
// one here), and its user's index with the latest absolute deadline of its
// members: nothing needs sweeping.
func TestKeysExpireAtTheDeadlines(t *testing.T) {
	f := newFixture(t)
	owner := f.newUserID()
	now := time.Now().UTC()
	short := f.start(owner, now, policy)
	long := f.start(owner, now.Add(time.Minute), policy)
	f.add(long)
	f.add(short) // added last: the index must keep the later expiry

	if got, want := f.pexpiretime(sessionKey(short.ID())), short.IdleExpiresAt().UnixMilli(); got != want && got != want+1 {
		t.Errorf("session key expires at %d, want its idle deadline %d", got, want)
	}
	if got, want := f.pexpiretime(indexKey(owner)), long.AbsoluteExpiresAt().UnixMilli(); got != want && got != want+1 {
		t.Errorf("index expires at %d, want the latest absolute deadline %d", got, want)
	}

	// A rotation moves the idle deadline, and the key's expiry with it.
	later := now.Add(30 * time.Minute)
	if _, err := f.store.Sessions().Update(f.ctx, short.ID(), func(s *session.Session) error {
		_, err := s.Redeem(1, later, policy)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got, want := f.pexpiretime(sessionKey(short.ID())), later.Add(time.Hour).UnixMilli(); got != want && got != want+1 {
		t.Errorf("after a rotation the session key expires at %d, want %d", got, want)
	}
}

// A session whose deadline passes disappears: Get finds nothing, the
// listing does not show it, and the reader prunes it from the index.
func TestADeadSessionIsNeverListedAndLeavesTheIndex(t *testing.T) {
	f := newFixture(t)
	owner := f.newUserID()
	now := time.Now().UTC()
	live := f.start(owner, now, policy)
	brief := f.start(owner, now, session.Policy{IdleTimeout: 300 * time.Millisecond, MaxLifetime: time.Hour})
	f.add(live)
	f.add(brief)

	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := f.store.Sessions().Get(f.ctx, brief.ID())
		if errors.Is(err, session.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the session key outlived its deadline by seconds: Get err = %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Listed as of a time before its deadline, it is still not there: the
	// index never names a session that is gone.
	active, err := f.store.Sessions().ListActive(f.ctx, owner, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(active) != 1 || active[0].ID() != live.ID() {
		t.Fatalf("ListActive = %v, want only the live session", ids(active))
	}
	if err := f.raw.ZScore(f.ctx, indexKey(owner), brief.ID().String()).Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("the expired session is still in the index (err %v)", err)
	}
}

// A session whose absolute deadline has passed is gone the moment it is
// written, key and index entry both.
func TestASessionPastItsLifetimeIsNotKept(t *testing.T) {
	f := newFixture(t)
	owner := f.newUserID()
	old := f.start(owner, time.Now().Add(-11*time.Hour), session.Policy{IdleTimeout: 20 * time.Hour, MaxLifetime: 10 * time.Hour})
	f.add(old)
	if n, err := f.raw.Exists(f.ctx, sessionKey(old.ID()), indexKey(owner)).Result(); err != nil || n != 0 {
		t.Fatalf("%d keys left for a session past its lifetime (err %v), want none", n, err)
	}
}

// A unit whose session another unit changed after it was read commits
// nothing, neither its writes nor its events.
func TestAUnitWhoseSessionChangedConflictsAndAppliesNothing(t *testing.T) {
	f := newFixture(t)
	owner := f.newUserID()
	s := f.start(owner, time.Now(), policy)
	f.add(s)

	slow, err := f.store.Begin(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback()
	if _, err := slow.Sessions().Update(f.ctx, s.ID(), func(s *session.Session) error {
		s.Revoke(time.Now(), session.ReasonLogout)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rotated, err := f.store.Sessions().Update(f.ctx, s.ID(), func(s *session.Session) error {
		_, err := s.Redeem(1, time.Now(), policy)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	event := audit.Event{ID: audit.ID(f.ids.NewID()), Type: audit.Logout, UserID: owner, SessionID: s.ID(), At: time.Now()}
	if err := slow.Commit(f.ctx, []audit.Event{event}); !errors.Is(err, outbound.ErrSessionConflict) {
		t.Fatalf("Commit err = %v, want outbound.ErrSessionConflict", err)
	}
	got, err := f.store.Sessions().Get(f.ctx, s.ID())
	if err != nil || got.Generation() != rotated.Generation() || got.RevokedAt() != nil {
		t.Fatalf("after the conflict the session is %+v (err %v), want the rotation and no revocation", got, err)
	}
	if n, _ := f.raw.XLen(f.ctx, "authd:audit-events").Result(); n != 0 {
		t.Fatalf("the conflicting unit left %d events in the stream", n)
	}
	if listed, _ := f.audit.List(f.ctx, outbound.AuditQuery{Limit: 10}); len(listed) != 0 {
		t.Fatalf("the conflicting unit's event reached the audit log: %v", listed)
	}
}

func ids(ss []*session.Session) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.ID().String()
	}
	return out
}
