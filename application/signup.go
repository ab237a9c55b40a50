package application

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
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
	sessions session.Policy
	password user.PasswordPolicy
	emails   outbound.EmailNormalizer
	mail     *MailIssuer
	verify   EmailVerification
}

var _ inbound.Signup = (*Signup)(nil)

// NewSignup builds the use case. mail and verify say whether signup mails
// a verification, and whether it then opens a session.
func NewSignup(users outbound.UserRepository, tx outbound.Transactor, hasher outbound.PasswordHasher,
	access outbound.AccessTokens, refresh outbound.RefreshTokens, clock outbound.Clock, ids outbound.IDGenerator,
	rules SessionRules, password user.PasswordPolicy, emails outbound.EmailNormalizer, mail *MailIssuer, verify EmailVerification) *Signup {
	return &Signup{emails: emails,
		users: users, tx: tx, hasher: hasher, clock: clock, ids: ids,
		tokens: tokenMinter{access: access, refresh: refresh}, events: eventFactory{clock: clock, ids: ids},
		sessions: rules.Policy, password: password, mail: mail, verify: verify,
	}
}

// Handle validates every field at once, refuses a taken email before paying
// for a hash, and stores the user and its session in one unit of work.
func (uc *Signup) Handle(ctx context.Context, cmd inbound.SignupCommand) (inbound.TokenPair, error) {
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
		return inbound.TokenPair{}, hashFailed(err)
	}
	now := uc.clock.Now()
	u, err := user.Register(user.ID(uc.ids.NewID()), email, name, hash, now)
	if err != nil {
		return inbound.TokenPair{}, err
	}
	// With verification required the account opens no session until its
	// address is verified; otherwise signup signs in as before.
	var s *session.Session
	if uc.verify != VerificationRequired {
		if s, err = session.Start(session.ID(uc.ids.NewID()), u.ID(), now, uc.sessions, cmd.Client.UserAgent, cmd.Client.IP); err != nil {
			return inbound.TokenPair{}, err
		}
	}
	mails := uc.verify != VerificationOff && uc.mail.requireEnabled() == nil
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		if err := r.Users.Add(ctx, u); err != nil {
			return err
		}
		var sid session.ID
		if s != nil {
			if err := r.Sessions.Add(ctx, s); err != nil {
				return err
			}
			sid = s.ID()
		}
		if err := r.Audit.Record(ctx, uc.events.new(audit.Signup, u.ID(), sid, cmd.Client, nil)); err != nil {
			return err
		}
		if !mails {
			return nil
		}
		if err := uc.mail.issue(ctx, r, u.ID(), onetime.VerifyEmail, u.Email(), now); err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.EmailVerificationSent, u.ID(), sid, cmd.Client,
			map[string]string{"email": u.Email().String(), "mailed": "true"}))
	})
	if err != nil {
		return inbound.TokenPair{}, err
	}
	if mails {
		uc.mail.committed()
	}
	if s == nil {
		return inbound.TokenPair{User: u, Pending: true}, nil
	}
	return uc.tokens.pair(ctx, u, s)
}

func (uc *Signup) validate(cmd inbound.SignupCommand) (user.Email, user.FullName, user.Password, error) {
	problems := &validation.Error{}
	email, err := parseEmail(uc.emails, cmd.Email)
	problems.Merge(err)
	name, err := user.ParseFullName(cmd.FullName)
	problems.Merge(err)
	// With an invalid email the local-part rule has nothing to compare and
	// is skipped; every other password rule still reports.
	password, err := user.NewPassword(cmd.Password, uc.password, email)
	problems.Merge(err)
	if cmd.PasswordConfirm != nil && *cmd.PasswordConfirm != cmd.Password {
		problems.Add("passwordConfirm", "must equal password")
	}
	return email, name, password, problems.OrNil()
}
