package application

import (
	"context"
	"errors"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// Login checks credentials and opens a new session, evicting the least
// recently used ones when the user would exceed the session cap. Failed
// attempts count against a per-email budget (the lockout) whatever the IP.
type Login struct {
	users   outbound.UserRepository
	hasher  outbound.PasswordHasher
	audit   outbound.AuditLog
	lockout lockout
	events  eventFactory
	opener  sessionOpener
	decoy   decoyHash
	emails  outbound.EmailNormalizer
	verify  EmailVerification
}

var _ inbound.Login = (*Login)(nil)

// NewLogin builds the use case. log receives the events of failed
// attempts, which go with no other change. verify says whether an
// unverified address may sign in.
func NewLogin(users outbound.UserRepository, tx outbound.Transactor, hasher outbound.PasswordHasher,
	log outbound.AuditLog, failures outbound.LoginFailures, lockoutRules LockoutRules,
	access outbound.AccessTokens, refresh outbound.RefreshTokens, clock outbound.Clock, ids outbound.IDGenerator,
	rules SessionRules, emails outbound.EmailNormalizer, verify EmailVerification) *Login {
	return &Login{
		users: users, hasher: hasher, audit: log, lockout: newLockout(failures, clock, lockoutRules),
		events: eventFactory{clock: clock, ids: ids},
		opener: newSessionOpener(tx, access, refresh, clock, ids, rules),
		emails: emails, verify: verify,
	}
}

// Handle answers ErrInvalidCredentials for an unknown email, a wrong
// password and a disabled account alike, and pays one hash in every case so
// timing does not tell them apart. A locked email is refused before any
// hash, for existing and unknown accounts alike. Any other failure (a
// database outage) is returned as is, never as a 401.
func (uc *Login) Handle(ctx context.Context, cmd inbound.LoginCommand) (inbound.TokenPair, error) {
	email, password, err := validateCredentials(uc.emails, cmd.Email, cmd.Password)
	if err != nil {
		return inbound.TokenPair{}, err
	}
	if err := uc.lockout.check(ctx, email); err != nil {
		if _, locked := errors.AsType[*inbound.RetryAfterError](err); locked {
			uc.recordFailure(ctx, audit.LoginLocked, user.ID{}, cmd.Client, map[string]string{"email": email.String()})
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
	// Only the right password learns that the address is unverified: a
	// wrong one was answered 401 above, whatever the account's state.
	if uc.verify == VerificationRequired && !u.EmailVerified() {
		return inbound.TokenPair{}, inbound.ErrEmailNotVerified
	}
	var upgraded *user.PasswordHash
	if needsRehash {
		h, err := uc.hasher.Hash(ctx, password)
		if err != nil {
			return inbound.TokenPair{}, hashFailed(err)
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
	if !u.HasPassword() {
		// An account made by signing in with a provider: no password can
		// match, and the answer takes as long as a wrong one.
		if err := uc.decoy.verify(ctx, uc.hasher, password); err != nil {
			return nil, false, err
		}
		return u, false, inbound.ErrInvalidCredentials
	}
	match, needsRehash, err := uc.hasher.Verify(ctx, password, u.PasswordHash())
	if err != nil {
		return nil, false, hashFailed(err)
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
	_ = uc.audit.Record(ctx, uc.events.new(t, id, session.ID{}, client, detail))
}

// openSession opens the session through the shared opener: it re-checks,
// under the user's lock, that the account was not disabled (or deleted)
// since its password was verified, and stores the upgraded hash if any.
func (uc *Login) openSession(ctx context.Context, u *user.User, upgraded *user.PasswordHash, client inbound.Client) (inbound.TokenPair, error) {
	return uc.opener.open(ctx, u.ID(), client, openingUnit{
		check: func(stored *user.User, now time.Time) error {
			if err := stored.CanAuthenticate(); err != nil {
				return inbound.ErrInvalidCredentials
			}
			if upgraded != nil {
				stored.ChangePasswordHash(*upgraded, now)
			}
			return nil
		},
		missing: inbound.ErrInvalidCredentials, // deleted since its password was checked
		event:   audit.LoginSucceeded,
	})
}

// validateCredentials checks only presence and bounds: login applies no
// password policy, since accounts may predate it.
func validateCredentials(emails outbound.EmailNormalizer, rawEmail, rawPassword string) (user.Email, user.Password, error) {
	problems := &validation.Error{}
	email, err := parseEmail(emails, rawEmail)
	problems.Merge(err)
	if rawPassword == "" {
		problems.Add("password", "is required")
	}
	password, err := user.PasswordAttempt(rawPassword)
	problems.Merge(err)
	return email, password, problems.OrNil()
}
