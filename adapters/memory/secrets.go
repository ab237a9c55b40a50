package memory

import (
	"context"
	"fmt"
	"time"

	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// SecretRepository is the in-memory outbound.SecretRepository.
type SecretRepository struct {
	store *Store
	inTx  bool
}

var _ outbound.SecretRepository = (*SecretRepository)(nil)

// Add stores a new secret, keeping times to the microsecond as the
// databases do.
func (r *SecretRepository) Add(ctx context.Context, s *onetime.Secret) error {
	return r.store.run(r.inTx, func(st *state) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		sn := secretSnapshot(s)
		if _, exists := st.secrets[sn.ID]; exists {
			return fmt.Errorf("memory: secret %s already exists", sn.ID)
		}
		for _, other := range st.secrets {
			if other.TokenDigest == sn.TokenDigest {
				return fmt.Errorf("memory: secret %s has the token digest of %s", sn.ID, other.ID)
			}
		}
		st.secrets[sn.ID] = sn
		return nil
	})
}

// FindByToken returns the secret with the token digest.
func (r *SecretRepository) FindByToken(ctx context.Context, d onetime.Digest) (*onetime.Secret, error) {
	var out *onetime.Secret
	err := r.store.run(r.inTx, func(st *state) error {
		for _, sn := range st.secrets {
			if sn.TokenDigest == d {
				var err error
				out, err = onetime.Rehydrate(sn)
				return err
			}
		}
		return onetime.ErrNotFound
	})
	return out, err
}

// LatestPending returns the newest pending secret of the user and purpose
// (ids are UUIDv7, so the largest id is the newest).
func (r *SecretRepository) LatestPending(ctx context.Context, userID user.ID, purpose onetime.Purpose) (*onetime.Secret, error) {
	var out *onetime.Secret
	err := r.store.run(r.inTx, func(st *state) error {
		var best *onetime.Snapshot
		for _, sn := range st.secrets {
			if sn.UserID != userID || sn.Purpose != purpose || sn.EndedAt != nil {
				continue
			}
			if best == nil || compareSecretIDs(sn.ID, best.ID) > 0 {
				best = &sn
			}
		}
		if best == nil {
			return onetime.ErrNotFound
		}
		var err error
		out, err = onetime.Rehydrate(*best)
		return err
	})
	return out, err
}

// Update applies fn under the store lock and saves the result if fn succeeds.
func (r *SecretRepository) Update(ctx context.Context, id onetime.ID, fn func(*onetime.Secret) error) (*onetime.Secret, error) {
	var out *onetime.Secret
	err := r.store.run(r.inTx, func(st *state) error {
		sn, ok := st.secrets[id]
		if !ok {
			return onetime.ErrNotFound
		}
		s, err := onetime.Rehydrate(sn)
		if err != nil {
			return err
		}
		if err := fn(s); err != nil {
			return err
		}
		st.secrets[id] = secretSnapshot(s)
		out = s
		return nil
	})
	return out, err
}

// SupersedePending ends the user's pending secrets of the purpose.
func (r *SecretRepository) SupersedePending(ctx context.Context, userID user.ID, purpose onetime.Purpose, now time.Time) (int, error) {
	n := 0
	err := r.store.run(r.inTx, func(st *state) error {
		for id, sn := range st.secrets {
			if sn.UserID != userID || sn.Purpose != purpose {
				continue
			}
			s, err := onetime.Rehydrate(sn)
			if err != nil {
				return err
			}
			if s.Supersede(now) {
				st.secrets[id] = secretSnapshot(s)
				n++
			}
		}
		return nil
	})
	return n, err
}

// SecretSweeper deletes the secrets no request can use any more.
type SecretSweeper struct{ store *Store }

var _ outbound.Sweeper = SecretSweeper{}

// SecretSweeper returns the sweeper of the store's secrets.
func (s *Store) SecretSweeper() SecretSweeper { return SecretSweeper{store: s} }

// Name is "one_time_secrets".
func (SecretSweeper) Name() string { return "one_time_secrets" }

// Sweep deletes up to limit secrets that have ended or expired at now.
func (w SecretSweeper) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	n := 0
	err := w.store.run(false, func(st *state) error {
		for id, sn := range st.secrets {
			if n >= limit {
				break
			}
			s, err := onetime.Rehydrate(sn)
			if err != nil {
				return err
			}
			if s.Finished(now) {
				delete(st.secrets, id)
				n++
			}
		}
		return ctx.Err()
	})
	return n, err
}

// secretSnapshot is the stored form: times to the microsecond.
func secretSnapshot(s *onetime.Secret) onetime.Snapshot {
	sn := s.Snapshot()
	sn.CreatedAt, sn.ExpiresAt = micros(sn.CreatedAt), micros(sn.ExpiresAt)
	if sn.EndedAt != nil {
		t := micros(*sn.EndedAt)
		sn.EndedAt = &t
	}
	return sn
}

func compareSecretIDs(a, b onetime.ID) int {
	return identUUID(a).Compare(identUUID(b))
}
