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

// Signup registers a self-service account (always role user) and opens its
// first session.
type Signup struct {
	users    outbound.UserRepository
	tx       outbound.Transactor
	hasher   outbound.PasswordHasher
	clock    outbound.Clock
	ids      outbound.IDGenerator
	tokens   tokenMinter
	events   eventFactory
	settings Settings
}

var _ inbound.Signup = (*Signup)(nil)

// NewSignup builds the use case.
func NewSignup(d Deps) *Signup {
	return &Signup{users: d.Users, tx: d.Tx, hasher: d.Hasher, clock: d.Clock, ids: d.IDs, tokens: newTokenMinter(d), events: newEventFactory(d), settings: d.Settings}
}

// Signup validates every field at once, refuses a taken email before paying
// for a hash, and stores the user and its session in one transaction.
func (uc *Signup) Signup(ctx context.Context, cmd inbound.SignupCommand) (inbound.TokenPair, error) {
	email, name, password, err := uc.validate(cmd)
	if err != nil {
		return inbound.TokenPair{}, err
	}
	switch _, err := uc.users.FindByEmail(ctx, email); {
	case err == nil:
		return inbound.TokenPair{}, user.ErrEmailTaken
	case !errors.Is(err, user.ErrNotFound):
		return inbound.TokenPair{}, err
	}
	hash, err := uc.hasher.Hash(ctx, password)
	if err != nil {
		return inbound.TokenPair{}, hasherError(err)
	}
	now := uc.clock.Now()
	u, err := user.Register(user.ID(uc.ids.NewID()), email, name, hash, now)
	if err != nil {
		return inbound.TokenPair{}, err
	}
	s, err := session.Start(session.ID(uc.ids.NewID()), u.ID(), now, uc.settings.Sessions, cmd.Client.UserAgent, cmd.Client.IP)
	if err != nil {
		return inbound.TokenPair{}, err
	}
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		if err := r.Users.Add(ctx, u); err != nil {
			return err
		}
		if err := r.Sessions.Add(ctx, s); err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.Signup, u.ID(), s.ID(), cmd.Client, nil))
	})
	if err != nil {
		return inbound.TokenPair{}, err
	}
	return uc.tokens.pair(ctx, u, s)
}

func (uc *Signup) validate(cmd inbound.SignupCommand) (user.Email, user.FullName, user.Password, error) {
	problems := &user.ValidationError{}
	email, err := user.ParseEmail(cmd.Email)
	problems.Merge(err)
	name, err := user.ParseFullName(cmd.FullName)
	problems.Merge(err)
	// With an invalid email the local-part rule has nothing to compare and
	// is skipped; every other password rule still reports.
	password, err := user.NewPassword(cmd.Password, uc.settings.PasswordPolicy, email)
	problems.Merge(err)
	if cmd.PasswordConfirm != nil && *cmd.PasswordConfirm != cmd.Password {
		problems.Add("passwordConfirm", "must equal password")
	}
	return email, name, password, problems.OrNil()
}
