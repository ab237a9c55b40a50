package application

import (
	"context"
	"errors"
	"strconv"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// Login checks credentials and opens a new session, evicting the least
// recently used one when the user would exceed the session cap. Failed
// attempts count against a per-email budget (the lockout) whatever the IP.
type Login struct {
	users    outbound.UserRepository
	tx       outbound.Transactor
	hasher   outbound.PasswordHasher
	audit    outbound.AuditLog
	lockout  lockout
	clock    outbound.Clock
	ids      outbound.IDGenerator
	tokens   tokenMinter
	events   eventFactory
	settings Settings
	decoy    decoyHash
}

var _ inbound.Login = (*Login)(nil)

// NewLogin builds the use case.
func NewLogin(d Deps) *Login {
	return &Login{
		users: d.Users, tx: d.Tx, hasher: d.Hasher, audit: d.Audit,
		lockout: lockout{limiter: d.Limiter, quota: d.Settings.Lockout},
		clock:   d.Clock, ids: d.IDs, tokens: newTokenMinter(d), events: newEventFactory(d), settings: d.Settings,
	}
}

// Login answers ErrInvalidCredentials for an unknown email, a wrong password
// and a disabled account alike, and pays one hash in every case so timing
// does not tell them apart. A locked email is refused before any hash, for
// existing and unknown accounts alike. Any other failure (a database
// outage) is returned as is and becomes a 500, never a 401.
func (uc *Login) Login(ctx context.Context, cmd inbound.LoginCommand) (inbound.TokenPair, error) {
	email, password, err := validateCredentials(cmd.Email, cmd.Password)
	if err != nil {
		return inbound.TokenPair{}, err
	}
	if err := uc.lockout.check(ctx, email); err != nil {
		var locked *inbound.RetryAfterError
		if errors.As(err, &locked) {
			uc.recordFailure(ctx, audit.LoginLocked, "", cmd.Client, map[string]string{"email": email.String()})
		}
		return inbound.TokenPair{}, err
	}
	u, needsRehash, err := uc.authenticate(ctx, email, password)
	if errors.Is(err, inbound.ErrInvalidCredentials) {
		if err := uc.lockout.fail(ctx, email); err != nil {
			return inbound.TokenPair{}, err
		}
		var id user.ID
		if u != nil {
			id = u.ID()
		}
		uc.recordFailure(ctx, audit.LoginFailed, id, cmd.Client, map[string]string{"email": email.String()})
	}
	if err != nil {
		return inbound.TokenPair{}, err
	}
	var upgraded *user.PasswordHash
	if needsRehash {
		h, err := uc.hasher.Hash(ctx, password)
		if err != nil {
			return inbound.TokenPair{}, hasherError(err)
		}
		upgraded = &h
	}
	return uc.openSession(ctx, u, upgraded, cmd.Client)
}

// authenticate returns the user whose password matches, and whether its
// hash is due for an upgrade to today's parameters. On
// ErrInvalidCredentials it still returns the account when one exists, for
// the audit trail.
func (uc *Login) authenticate(ctx context.Context, email user.Email, password user.Password) (*user.User, bool, error) {
	u, err := uc.users.FindByEmail(ctx, email)
	if errors.Is(err, user.ErrNotFound) {
		if err := uc.decoy.verify(ctx, uc.hasher, password); err != nil {
			return nil, false, err
		}
		return nil, false, inbound.ErrInvalidCredentials
	}
	if err != nil {
		return nil, false, err
	}
	match, needsRehash, err := uc.hasher.Verify(ctx, password, u.PasswordHash())
	if err != nil {
		return nil, false, hasherError(err)
	}
	if !match || u.CanAuthenticate() != nil {
		return u, false, inbound.ErrInvalidCredentials
	}
	return u, needsRehash, nil
}

// recordFailure writes an event that goes with no other change. Losing it
// must not turn a 401 into a 500, and the attempt is already counted, so
// an error here is deliberately dropped.
func (uc *Login) recordFailure(ctx context.Context, t audit.Type, id user.ID, client inbound.Client, detail map[string]string) {
	_ = uc.audit.Record(ctx, uc.events.new(t, id, "", client, detail))
}

func (uc *Login) openSession(ctx context.Context, u *user.User, upgraded *user.PasswordHash, client inbound.Client) (inbound.TokenPair, error) {
	now := uc.clock.Now()
	s, err := session.Start(session.ID(uc.ids.NewID()), u.ID(), now, uc.settings.Sessions, client.UserAgent, client.IP)
	if err != nil {
		return inbound.TokenPair{}, err
	}
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		if upgraded != nil {
			if _, err := r.Users.Update(ctx, u.ID(), func(stored *user.User) error {
				stored.ChangePasswordHash(*upgraded, now)
				return nil
			}); err != nil {
				return err
			}
		}
		if err := r.Sessions.Add(ctx, s); err != nil {
			return err
		}
		if err := r.Audit.Record(ctx, uc.events.new(audit.LoginSucceeded, u.ID(), s.ID(), client, nil)); err != nil {
			return err
		}
		evicted, err := r.Sessions.RevokeBeyondCap(ctx, u.ID(), uc.settings.MaxSessionsPerUser, now)
		if err != nil || evicted == 0 {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.SessionRevoked, u.ID(), "", client,
			map[string]string{"reason": string(session.ReasonEvicted), "count": strconv.Itoa(evicted)}))
	})
	if err != nil {
		return inbound.TokenPair{}, err
	}
	return uc.tokens.pair(ctx, u, s)
}

// validateCredentials checks only presence and bounds: login applies no
// password policy, since accounts may predate it.
func validateCredentials(rawEmail, rawPassword string) (user.Email, user.Password, error) {
	problems := &user.ValidationError{}
	email, err := user.ParseEmail(rawEmail)
	problems.Merge(err)
	if rawPassword == "" {
		problems.Add("password", "is required")
	}
	password, err := user.PasswordAttempt(rawPassword)
	problems.Merge(err)
	return email, password, problems.OrNil()
}
