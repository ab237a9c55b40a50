package application

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// sessionOpener opens a login's session: what a password login and the
// exchange of a provider sign-in's login code share.
type sessionOpener struct {
	tx     outbound.Transactor
	clock  outbound.Clock
	ids    outbound.IDGenerator
	tokens tokenMinter
	events eventFactory
	rules  SessionRules
}

func newSessionOpener(tx outbound.Transactor, access outbound.AccessTokens, refresh outbound.RefreshTokens,
	clock outbound.Clock, ids outbound.IDGenerator, rules SessionRules) sessionOpener {
	return sessionOpener{
		tx: tx, clock: clock, ids: ids, tokens: tokenMinter{access: access, refresh: refresh},
		events: eventFactory{clock: clock, ids: ids}, rules: rules,
	}
}

// openingUnit is what a caller adds to the unit of work that opens the
// session: check (and change) the locked user, and the event to record.
type openingUnit struct {
	// check runs on the user under its lock; its error aborts the unit.
	check func(u *user.User, now time.Time) error
	// missing is the error for a user deleted meanwhile.
	missing error
	// event is the audit type and detail of the login.
	event  audit.Type
	detail map[string]string
	// resolve, when set, runs first in the unit and names the user who
	// logs in (by spending a login code, say); otherwise open's userID.
	resolve func(ctx context.Context, r outbound.Repositories) (user.ID, error)
}

// open stores the new session, the user's change if any, and the
// evictions beyond the cap in one unit of work. Updating the user first
// locks it, so concurrent logins of one user take turns and cannot both
// keep a session past the cap; it also re-checks the account under that
// lock.
func (o sessionOpener) open(ctx context.Context, userID user.ID, client inbound.Client, unit openingUnit) (inbound.TokenPair, error) {
	now := o.clock.Now()
	var u *user.User
	var s *session.Session
	err := o.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		id := userID
		if unit.resolve != nil {
			var err error
			if id, err = unit.resolve(ctx, r); err != nil {
				return err
			}
		}
		var err error
		s, err = session.Start(session.ID(o.ids.NewID()), id, now, o.rules.Policy, client.UserAgent, client.IP)
		if err != nil {
			return err
		}
		u, err = r.Users.Update(ctx, id, func(stored *user.User) error { return unit.check(stored, now) })
		if errors.Is(err, user.ErrNotFound) {
			return unit.missing
		}
		if err != nil {
			return err
		}
		if err := r.Sessions.Add(ctx, s); err != nil {
			return err
		}
		if err := r.Audit.Record(ctx, o.events.new(unit.event, u.ID(), s.ID(), client, unit.detail)); err != nil {
			return err
		}
		return o.evictBeyondCap(ctx, r, u.ID(), now, client)
	})
	if err != nil {
		return inbound.TokenPair{}, err
	}
	return o.tokens.pair(ctx, u, s)
}

// evictBeyondCap revokes the least recently used sessions past the cap
// (the domain chooses which) and records how many.
func (o sessionOpener) evictBeyondCap(ctx context.Context, r outbound.Repositories, userID user.ID, now time.Time, client inbound.Client) error {
	active, err := r.Sessions.ListActive(ctx, userID, now)
	if err != nil {
		return err
	}
	evicted := session.BeyondCap(active, o.rules.MaxPerUser)
	for _, old := range evicted {
		if _, err := r.Sessions.Update(ctx, old.ID(), func(s *session.Session) error {
			s.Revoke(now, session.ReasonEvicted)
			return nil
		}); err != nil {
			return err
		}
	}
	if len(evicted) == 0 {
		return nil
	}
	return r.Audit.Record(ctx, o.events.new(audit.SessionRevoked, userID, session.ID{}, client,
		map[string]string{"reason": string(session.ReasonEvicted), "count": strconv.Itoa(len(evicted))}))
}
