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

// Refresh rotates a refresh token in one short transaction: lock the
// session row, apply the rotation and reuse rules, save, and record what
// happened in the audit trail.
type Refresh struct {
	users   outbound.UserRepository
	tx      outbound.Transactor
	refresh outbound.RefreshTokens
	clock   outbound.Clock
	tokens  tokenMinter
	events  eventFactory
	policy  session.Policy
}

var _ inbound.Refresh = (*Refresh)(nil)

// NewRefresh builds the use case.
func NewRefresh(d Deps) *Refresh {
	return &Refresh{
		users: d.Users, tx: d.Tx, refresh: d.RefreshTokens, clock: d.Clock,
		tokens: newTokenMinter(d), events: newEventFactory(d), policy: d.Settings.Sessions,
	}
}

// outcomeEvents names the audit event of each outcome of Redeem.
var outcomeEvents = map[session.Outcome]audit.Type{
	session.Rotated:       audit.Refreshed,
	session.GraceHit:      audit.RefreshGraceHit,
	session.ReuseDetected: audit.RefreshReuseDetected,
}

// Refresh answers the current generation's token both to the caller that
// rotated and to racing callers within the grace interval, so concurrent
// refreshes all get the byte-identical successor. A spent token after the
// grace interval revokes the session: that revocation and its audit event
// commit, and only then does the request fail with ErrRefreshTokenReused.
func (uc *Refresh) Refresh(ctx context.Context, cmd inbound.RefreshCommand) (inbound.TokenPair, error) {
	id, generation, err := uc.refresh.Decode(cmd.RefreshToken)
	if err != nil {
		return inbound.TokenPair{}, inbound.ErrRefreshTokenInvalid
	}
	now := uc.clock.Now()
	var (
		outcome session.Outcome
		s       *session.Session
	)
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		var err error
		s, err = r.Sessions.Update(ctx, id, func(s *session.Session) error {
			var err error
			outcome, err = s.Redeem(generation, now, uc.policy)
			if errors.Is(err, session.ErrStaleToken) {
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
		return inbound.TokenPair{}, inbound.ErrRefreshTokenInvalid
	case errors.Is(err, session.ErrRevoked), errors.Is(err, session.ErrExpired):
		return inbound.TokenPair{}, inbound.ErrSessionRevoked
	case err != nil:
		return inbound.TokenPair{}, err
	case outcome == session.ReuseDetected:
		return inbound.TokenPair{}, inbound.ErrRefreshTokenReused
	}
	u, err := uc.users.Get(ctx, s.UserID())
	switch {
	case errors.Is(err, user.ErrNotFound):
		return inbound.TokenPair{}, inbound.ErrSessionRevoked
	case err != nil:
		return inbound.TokenPair{}, err
	case u.CanAuthenticate() != nil:
		return inbound.TokenPair{}, inbound.ErrUserDisabled
	}
	return uc.tokens.pair(ctx, u, s)
}
