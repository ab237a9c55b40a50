package application

import (
	"context"
	"errors"
	"time"

	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// proof is a parsed inbound.SecretProof: the link's token, or the address
// and the code mailed to it.
type proof struct {
	token onetime.Token
	email user.Email
	code  onetime.Code
}

func (p proof) byCode() bool { return p.token.IsZero() }

// parseProof checks the shape of a proof: either a token, or an email and a
// code (a missing or malformed address is a validation error). A token or
// code that cannot be one is simply invalid, like a wrong one, so that
// nothing tells a guesser more than "no".
func (c secretChecker) parseProof(in inbound.SecretProof, codeAllowed bool) (proof, error) {
	if in.Token != "" || !codeAllowed {
		if in.Email != "" || in.Code != "" {
			return proof{}, validation.Invalid("token", "give either token, or email and code")
		}
		if in.Token == "" {
			return proof{}, validation.Invalid("token", "is required")
		}
		t, err := onetime.ParseToken(in.Token)
		if err != nil {
			return proof{}, onetime.ErrInvalid
		}
		return proof{token: t}, nil
	}
	problems := &validation.Error{}
	email, err := parseEmail(c.emails, in.Email)
	problems.Merge(err)
	if in.Code == "" {
		problems.Add("code", "is required")
	}
	if err := problems.OrNil(); err != nil {
		return proof{}, err
	}
	code, err := onetime.ParseCode(in.Code)
	if err != nil {
		return proof{}, onetime.ErrInvalid
	}
	return proof{email: email, code: code}, nil
}

// secretChecker finds and tests the secrets that proofs name.
type secretChecker struct {
	hasher onetime.Hasher
	// emails normalises the address of an email-and-code proof, as at
	// signup; a checker that takes only tokens needs none.
	emails outbound.EmailNormalizer
}

// locate finds the secret a proof names: by the token's digest, or the
// latest pending secret of the purpose of the account at the address.
// Nothing found is onetime.ErrInvalid.
func (c secretChecker) locate(ctx context.Context, r outbound.Repositories, p proof, purpose onetime.Purpose) (*onetime.Secret, error) {
	var s *onetime.Secret
	var err error
	if p.byCode() {
		var u *user.User
		if u, err = r.Users.FindByEmail(ctx, p.email); err == nil {
			s, err = r.Secrets.LatestPending(ctx, u.ID(), purpose)
		}
	} else {
		s, err = r.Secrets.FindByToken(ctx, c.hasher.Token(p.token))
	}
	if errors.Is(err, user.ErrNotFound) || errors.Is(err, onetime.ErrNotFound) {
		return nil, onetime.ErrInvalid
	}
	return s, err
}

// redeem locates the secret a proof names and applies the proof to it:
// locate, then apply.
func (c secretChecker) redeem(ctx context.Context, r outbound.Repositories, p proof, purpose onetime.Purpose,
	now time.Time, spend bool) (s *onetime.Secret, rejected error, err error) {
	found, err := c.locate(ctx, r, p, purpose)
	if err != nil {
		return nil, nil, err
	}
	return c.apply(ctx, r, found.ID(), p, purpose, now, spend)
}

// apply runs the proof against the locked secret with id: spend (use) or
// only test it. A failure the secret records (a wrong code counted, the
// fifth one killing it) is saved: the returned error is then the proof's
// failure, onetime.ErrInvalid, and the caller must commit and fail. Any
// other error is the store's.
func (c secretChecker) apply(ctx context.Context, r outbound.Repositories, id onetime.ID, p proof, purpose onetime.Purpose,
	now time.Time, spend bool) (s *onetime.Secret, rejected error, err error) {
	s, err = r.Secrets.Update(ctx, id, func(s *onetime.Secret) error {
		switch {
		case !p.byCode():
			if !spend {
				rejected = c.checkToken(s, p.token, purpose, now)
			} else {
				rejected = s.UseToken(c.hasher, p.token, purpose, now)
			}
		case spend:
			rejected = s.UseCode(c.hasher, p.code, purpose, now)
		default:
			rejected = s.CheckCode(c.hasher, p.code, purpose, now)
		}
		return nil
	})
	if errors.Is(err, onetime.ErrNotFound) {
		return nil, onetime.ErrInvalid, nil
	}
	return s, rejected, err
}

// checkToken tests a token without spending its secret.
func (c secretChecker) checkToken(s *onetime.Secret, t onetime.Token, purpose onetime.Purpose, now time.Time) error {
	if !c.hasher.Token(t).Equal(s.TokenDigest()) || s.Purpose() != purpose {
		return onetime.ErrInvalid
	}
	return s.Usable(now)
}

// ownerFor loads, locked, the account a secret belongs to, and refuses it
// unless the account may sign in and still has the address the secret was
// mailed to (for an email change: the secret's user, whatever its address).
func ownerFor(ctx context.Context, r outbound.Repositories, s *onetime.Secret, fn func(*user.User) error) (*user.User, error) {
	u, err := r.Users.Update(ctx, s.UserID(), func(u *user.User) error {
		if u.CanAuthenticate() != nil || (s.Purpose() != onetime.ChangeEmail && u.Email() != s.Email()) {
			return onetime.ErrInvalid
		}
		return fn(u)
	})
	if errors.Is(err, user.ErrNotFound) {
		return nil, onetime.ErrInvalid
	}
	return u, err
}
