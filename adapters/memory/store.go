// Package memory holds in-memory adapters for every storage port, a session
// store kept apart from users (SessionStore), and a predictable id
// generator. Tests and demos use them in place of a database; the shared
// contract suites in test/contract keep them honest.
// Its principal lookup is the default composition of the session and user
// repositories (package compose), so it has none of its own.
package memory

import (
	"context"
	"maps"
	"sync"

	"github.com/authd/authd/ports/outbound"
)

// Store is one in-memory database. Every operation, and every transaction
// as a whole, runs under one lock: like SQLite, it serialises writers, which
// gives Update the same exclusive-row semantics as SELECT ... FOR UPDATE.
type Store struct {
	mu    sync.Mutex
	state state
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{state: newState()}
}

// Users returns the user repository of the store.
func (s *Store) Users() *UserRepository { return &UserRepository{store: s} }

// Sessions returns the session repository of the store.
func (s *Store) Sessions() *SessionRepository { return &SessionRepository{store: s} }

// Audit returns the audit log of the store.
func (s *Store) Audit() *AuditLog { return &AuditLog{store: s} }

// Identities returns the identity repository of the store.
func (s *Store) Identities() *IdentityRepository { return &IdentityRepository{store: s} }

// FlowStates returns the flow-state repository (and sweeper) of the store.
func (s *Store) FlowStates() *FlowStateRepository { return &FlowStateRepository{store: s} }

// LoginCodes returns the login-code repository (and sweeper) of the store.
func (s *Store) LoginCodes() *LoginCodeRepository { return &LoginCodeRepository{store: s} }

// Secrets returns the one-time secret repository of the store.
func (s *Store) Secrets() *SecretRepository { return &SecretRepository{store: s} }

// Outbox returns the mail outbox of the store.
func (s *Store) Outbox() *Outbox { return &Outbox{store: s} }

// Transactor returns the transactor of the store.
func (s *Store) Transactor() *Transactor { return &Transactor{store: s} }

// run executes fn under the store lock unless the caller already holds it
// as part of a transaction.
func (s *Store) run(inTx bool, fn func(st *state) error) error {
	if !inTx {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	return fn(&s.state)
}

// Transactor runs a function atomically against the store: on error every
// change made through the repositories it hands out is undone.
type Transactor struct{ store *Store }

var _ outbound.Transactor = (*Transactor)(nil)

// Within holds the store lock for the whole of fn and restores the state
// captured at the start if fn fails or panics.
func (t *Transactor) Within(ctx context.Context, fn func(ctx context.Context, repos outbound.Repositories) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t.store.mu.Lock()
	saved := t.store.state.clone()
	committed := false
	// Deferred so that a panic in fn rolls back too, as a database would.
	defer func() {
		if !committed {
			t.store.state = saved
		}
		t.store.mu.Unlock()
	}()
	repos := outbound.Repositories{
		Users:      &UserRepository{store: t.store, inTx: true},
		Sessions:   &SessionRepository{store: t.store, inTx: true},
		Audit:      &AuditLog{store: t.store, inTx: true},
		Identities: &IdentityRepository{store: t.store, inTx: true},
		LoginCodes: &LoginCodeRepository{store: t.store, inTx: true},
		Secrets:    &SecretRepository{store: t.store, inTx: true},
		Outbox:     &Outbox{store: t.store, inTx: true},
	}
	if err := fn(ctx, repos); err != nil {
		return err
	}
	committed = true
	return nil
}

// clone copies the maps; the snapshots and events in them are values, so a
// shallow copy of each map is a full copy of the data (revokedAt pointers
// and Detail maps are never mutated in place).
func (st state) clone() state {
	return state{
		users:    maps.Clone(st.users),
		emails:   maps.Clone(st.emails),
		sessions: maps.Clone(st.sessions),
		events:   maps.Clone(st.events),

		identities: maps.Clone(st.identities),
		subjects:   maps.Clone(st.subjects),
		flows:      maps.Clone(st.flows),
		codes:      maps.Clone(st.codes),
		secrets:    maps.Clone(st.secrets),
		outbox:     maps.Clone(st.outbox),
	}
}
