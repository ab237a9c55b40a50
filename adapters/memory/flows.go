package memory

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/ports/outbound"
)

// FlowStateRepository is the in-memory outbound.FlowStateRepository and the
// sweeper of its expired flows.
type FlowStateRepository struct{ store *Store }

var (
	_ outbound.FlowStateRepository = (*FlowStateRepository)(nil)
	_ outbound.Sweeper             = (*FlowStateRepository)(nil)
)

// Add stores f; a link flow's user must exist.
func (r *FlowStateRepository) Add(ctx context.Context, f *identity.FlowState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.store.run(false, func(st *state) error {
		sn := f.Snapshot()
		if _, exists := st.flows[sn.StateHash]; exists {
			return fmt.Errorf("memory: flow state already exists")
		}
		if _, ok := st.users[sn.LinkUser]; !sn.LinkUser.IsZero() && !ok {
			return fmt.Errorf("memory: flow state: its user %s does not exist", sn.LinkUser)
		}
		sn.CreatedAt, sn.ExpiresAt = micros(sn.CreatedAt), micros(sn.ExpiresAt)
		st.flows[sn.StateHash] = sn
		return nil
	})
}

// Take removes and returns the flow.
func (r *FlowStateRepository) Take(ctx context.Context, h identity.SecretHash) (*identity.FlowState, error) {
	var out *identity.FlowState
	err := r.store.run(false, func(st *state) error {
		sn, ok := st.flows[h]
		if !ok {
			return identity.ErrNotFound
		}
		delete(st.flows, h)
		var err error
		out, err = identity.RehydrateFlow(sn)
		return err
	})
	return out, err
}

// DeleteExpired removes at most limit flows that expired before now.
func (r *FlowStateRepository) DeleteExpired(ctx context.Context, now time.Time, limit int) (int, error) {
	n := 0
	err := r.store.run(false, func(st *state) error {
		n = sweep(st.flows, func(f identity.FlowSnapshot) time.Time { return f.ExpiresAt }, micros(now), limit)
		return nil
	})
	return n, err
}

// Name names the sweeper.
func (r *FlowStateRepository) Name() string { return "oidc_flow_states" }

// Sweep is DeleteExpired for the background cleanup.
func (r *FlowStateRepository) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	return r.DeleteExpired(ctx, now, limit)
}

// LoginCodeRepository is the in-memory outbound.LoginCodeRepository and
// the sweeper of its expired codes.
type LoginCodeRepository struct {
	store *Store
	inTx  bool
}

var (
	_ outbound.LoginCodeRepository = (*LoginCodeRepository)(nil)
	_ outbound.Sweeper             = (*LoginCodeRepository)(nil)
)

// Add stores c; its user must exist.
func (r *LoginCodeRepository) Add(ctx context.Context, c identity.LoginCode) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.store.run(r.inTx, func(st *state) error {
		if _, ok := st.users[c.UserID]; !ok {
			return fmt.Errorf("memory: login code: its user %s does not exist", c.UserID)
		}
		if _, exists := st.codes[c.Hash]; exists {
			return nil // as ON CONFLICT DO NOTHING: a code is 256 random bits
		}
		c.CreatedAt, c.ExpiresAt = micros(c.CreatedAt), micros(c.ExpiresAt)
		st.codes[c.Hash] = c
		return nil
	})
}

// Take removes and returns the code.
func (r *LoginCodeRepository) Take(ctx context.Context, h identity.SecretHash) (identity.LoginCode, error) {
	var out identity.LoginCode
	err := r.store.run(r.inTx, func(st *state) error {
		c, ok := st.codes[h]
		if !ok {
			return identity.ErrNotFound
		}
		delete(st.codes, h)
		out = c
		return nil
	})
	return out, err
}

// DeleteExpired removes at most limit codes that expired before now.
func (r *LoginCodeRepository) DeleteExpired(ctx context.Context, now time.Time, limit int) (int, error) {
	n := 0
	err := r.store.run(r.inTx, func(st *state) error {
		n = sweep(st.codes, func(c identity.LoginCode) time.Time { return c.ExpiresAt }, micros(now), limit)
		return nil
	})
	return n, err
}

// Name names the sweeper.
func (r *LoginCodeRepository) Name() string { return "oidc_login_codes" }

// Sweep is DeleteExpired for the background cleanup.
func (r *LoginCodeRepository) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	return r.DeleteExpired(ctx, now, limit)
}

// sweep deletes at most limit entries of m that expired before now, the
// earliest first, and says how many.
func sweep[K comparable, V any](m map[K]V, expiry func(V) time.Time, now time.Time, limit int) int {
	var expired []K
	for k, v := range m {
		if expiry(v).Before(now) {
			expired = append(expired, k)
		}
	}
	slices.SortFunc(expired, func(a, b K) int { return expiry(m[a]).Compare(expiry(m[b])) })
	n := 0
	for _, k := range expired {
		if n == max(limit, 0) {
			break
		}
		delete(m, k)
		n++
	}
	return n
}
