package application

import (
	"context"
	"crypto/rand"
	"errors"
	"sync"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// Login checks credentials and opens a new session, evicting the least
// recently used one when the user would exceed the session cap.
type Login struct {
	users    outbound.UserRepository
	tx       outbound.Transactor
	hasher   outbound.PasswordHasher
	clock    outbound.Clock
	ids      outbound.IDGenerator
	tokens   tokenMinter
	settings Settings
	decoy    decoyHash
}

var _ inbound.Login = (*Login)(nil)

// NewLogin builds the use case.
func NewLogin(d Deps) *Login {
	return &Login{users: d.Users, tx: d.Tx, hasher: d.Hasher, clock: d.Clock, ids: d.IDs, tokens: newTokenMinter(d), settings: d.Settings}
}

// Login answers ErrInvalidCredentials for an unknown email, a wrong password
// and a disabled account alike, and pays one hash in every case so timing
// does not tell them apart. Any other failure (a database outage) is
// returned as is and becomes a 500, never a 401.
func (uc *Login) Login(ctx context.Context, cmd inbound.LoginCommand) (inbound.TokenPair, error) {
	email, password, err := validateCredentials(cmd.Email, cmd.Password)
	if err != nil {
		return inbound.TokenPair{}, err
	}
	u, err := uc.users.FindByEmail(ctx, email)
	if errors.Is(err, user.ErrNotFound) {
		if err := uc.decoy.verify(ctx, uc.hasher, password); err != nil {
			return inbound.TokenPair{}, err
		}
		return inbound.TokenPair{}, inbound.ErrInvalidCredentials
	}
	if err != nil {
		return inbound.TokenPair{}, err
	}
	match, needsRehash, err := uc.hasher.Verify(ctx, password, u.PasswordHash())
	if err != nil {
		return inbound.TokenPair{}, hasherError(err)
	}
	if !match || u.CanAuthenticate() != nil {
		return inbound.TokenPair{}, inbound.ErrInvalidCredentials
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
		_, err := r.Sessions.RevokeBeyondCap(ctx, u.ID(), uc.settings.MaxSessionsPerUser, now)
		return err
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

// decoyHash is a hash of a random password, made once on first use, that
// login verifies against when the email is unknown so that the response
// takes as long as a wrong password would.
type decoyHash struct {
	mu   sync.Mutex
	hash *user.PasswordHash
}

func (d *decoyHash) verify(ctx context.Context, hasher outbound.PasswordHasher, attempt user.Password) error {
	h, err := d.get(ctx, hasher)
	if err != nil {
		return err
	}
	if _, _, err := hasher.Verify(ctx, attempt, h); err != nil {
		return hasherError(err)
	}
	return nil
}

func (d *decoyHash) get(ctx context.Context, hasher outbound.PasswordHasher) (user.PasswordHash, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.hash != nil {
		return *d.hash, nil
	}
	p, err := user.PasswordAttempt(rand.Text())
	if err != nil {
		return user.PasswordHash{}, err
	}
	h, err := hasher.Hash(ctx, p)
	if err != nil {
		return user.PasswordHash{}, hasherError(err)
	}
	d.hash = &h
	return h, nil
}
