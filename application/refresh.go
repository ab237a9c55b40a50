package application

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// Refresh rotates a refresh token in one short unit of work: lock the
// session, check its user, apply the rotation and reuse rules, save, and
// record what happened in the audit trail.
type Refresh struct {
	tx      outbound.Transactor
	refresh outbound.RefreshTokens
	clock   outbound.Clock
	tokens  tokenMinter
	events  eventFactory
	policy  session.Policy
}

var _ inbound.Refresh = (*Refresh)(nil)

// NewRefresh builds the use case.
func NewRefresh(tx outbound.Transactor, access outbound.AccessTokens, refresh outbound.RefreshTokens,
	clock outbound.Clock, ids outbound.IDGenerator, rules SessionRules) *Refresh {
	return &Refresh{
		tx: tx, refresh: refresh, clock: clock,
		tokens: tokenMinter{access: access, refresh: refresh}, events: eventFactory{clock: clock, ids: ids},
		policy: rules.Policy,
	}
}

// outcomeEvents names the audit event of each outcome of Redeem.
var outcomeEvents = map[session.Outcome]audit.Type{
	session.Rotated:       audit.Refreshed,
	session.GraceHit:      audit.RefreshGraceHit,
	session.ReuseDetected: audit.RefreshReuseDetected,
}

// Handle answers the current generation's token both to the caller that
// rotated and to racing callers within the grace interval, so concurrent
// refreshes all get the byte-identical successor. The user is read and
// checked under the session's lock, before Redeem, so no rotation commits
// for a disabled or deleted user; the time is read under the lock too, so
// the grace interval counts from when a rotation really happened. A spent
// token after the grace interval revokes the session: that revocation and
// its audit event commit, and only then does the request fail with
// session.ErrRefreshTokenReused.
func (uc *Refresh) Handle(ctx context.Context, cmd inbound.RefreshCommand) (inbound.TokenPair, error) {
	id, generation, err := uc.refresh.Decode(cmd.RefreshToken)
	if err != nil {
		return inbound.TokenPair{}, outbound.ErrRefreshTokenInvalid
	}
	var (
		outcome session.Outcome
		s       *session.Session
		u       *user.User
	)
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		var err error
		s, err = lockWithOwner(ctx, r, id, func(s *session.Session, owner *user.User) error {
			if err := owner.CanAuthenticate(); err != nil {
				return err
			}
			u = owner
			outcome, err = s.Redeem(generation, uc.clock.Now(), uc.policy)
			if errors.Is(err, session.ErrRefreshTokenReused) {
				return nil // keep the revocation; the request fails below
			}
			return err
		})
		if err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(outcomeEvents[outcome], s.UserID(), s.ID(), cmd.Client, nil))
	})
	switch {
	case errors.Is(err, session.ErrNotFound):
		return inbound.TokenPair{}, outbound.ErrRefreshTokenInvalid
	case err != nil:
		return inbound.TokenPair{}, err
	case outcome == session.ReuseDetected:
		return inbound.TokenPair{}, session.ErrRefreshTokenReused
	}
	return uc.tokens.pair(ctx, u, s)
}

// lockWithOwner locks the session named id with its user and runs fn on
// both: in one query where the store offers it (r.Locker), else by
// locking the session and reading its user. A session whose user is gone
// has ended (session.ErrRevoked).
func lockWithOwner(ctx context.Context, r outbound.Repositories, id session.ID, fn func(*session.Session, *user.User) error) (*session.Session, error) {
	if r.Locker != nil {
		return r.Locker.UpdateWithUser(ctx, id, fn)
	}
	return r.Sessions.Update(ctx, id, func(s *session.Session) error {
		u, err := r.Users.Get(ctx, s.UserID())
		if errors.Is(err, user.ErrNotFound) {
			return session.ErrRevoked
		}
		if err != nil {
			return err
		}
		return fn(s, u)
	})
}
