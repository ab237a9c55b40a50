package application

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// signIn applies the sign-in rules in one unit of work and, when someone
// signs in, issues the one-time login code the front end exchanges for
// tokens. The session itself opens at the exchange.
func (uc *CompleteSignIn) signIn(ctx context.Context, res result, c identity.Claims, policy identity.Policy, client inbound.Client) (inbound.SignInResult, error) {
	var code, outcome string
	var refused user.ID // the account a refusal concerns, for the audit trail
	var err error
	for attempt := 1; ; attempt++ {
		code, outcome, refused, err = uc.signInOnce(ctx, c, policy, client)
		if !lostRace(err) || attempt >= conflictAttempts {
			break
		}
	}
	if err == nil {
		return res.done("code", code, outcome), nil
	}
	failure := errorCode(err)
	if failure == "" {
		return inbound.SignInResult{}, err
	}
	uc.recordFailure(ctx, refused, c.Provider, failure, client)
	return res.failed(failure), nil
}

func (uc *CompleteSignIn) signInOnce(ctx context.Context, c identity.Claims, policy identity.Policy, client inbound.Client) (code, outcome string, refused user.ID, err error) {
	now := uc.clock.Now()
	code = uc.secrets.NewSecret()
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		owner, sameEmail, err := uc.lookUp(ctx, r, c)
		if err != nil {
			return err
		}
		d, err := identity.Decide(c, policy, owner, sameEmail)
		if err != nil {
			refused = candidate(owner, sameEmail, c)
			return err
		}
		var userID user.ID
		switch d.Action {
		case identity.LogIn:
			userID, outcome = d.User.ID(), outcomeLogin
		case identity.LinkAndLogIn:
			userID, outcome = d.User.ID(), outcomeLinkedByEmail
			// The lock makes concurrent changes of the account wait, and
			// re-checks it.
			if _, err := r.Users.Update(ctx, userID, func(u *user.User) error { return u.CanAuthenticate() }); err != nil {
				return err
			}
			if err := uc.attach(ctx, r, userID, c, client, "email"); err != nil {
				return err
			}
		case identity.SignUp:
			u, err := user.RegisterExternal(user.ID(uc.ids.NewID()), d.Email, c.FullName(d.Email), c.EmailVerified, now)
			if err != nil {
				return err
			}
			userID, outcome = u.ID(), outcomeSignup
			if err := r.Users.Add(ctx, u); err != nil {
				return err
			}
			if err := r.Audit.Record(ctx, uc.events.new(audit.Signup, userID, session.ID{}, client,
				map[string]string{"provider": c.Provider})); err != nil {
				return err
			}
			if err := uc.attach(ctx, r, userID, c, client, "signup"); err != nil {
				return err
			}
		}
		issued, err := identity.IssueLoginCode(code, userID, c.Provider, now)
		if err != nil {
			return err
		}
		return r.LoginCodes.Add(ctx, issued)
	})
	return code, outcome, refused, err
}

// candidate is the known account a refused sign-in concerns: the
// identity's owner, or the account whose email the claims name, but only
// when the provider verified that email (an unverified claim is not the
// account's business).
func candidate(owner, sameEmail *user.User, c identity.Claims) user.ID {
	if owner != nil {
		return owner.ID()
	}
	if _, verified := c.VerifiedEmail(); verified && sameEmail != nil {
		return sameEmail.ID()
	}
	return user.ID{}
}

// lookUp finds the owner of the claims' identity and the account with the
// claims' email, either of which may be missing.
func (uc *CompleteSignIn) lookUp(ctx context.Context, r outbound.Repositories, c identity.Claims) (owner, sameEmail *user.User, err error) {
	known, err := r.Identities.FindBySubject(ctx, c.Provider, c.Subject)
	switch {
	case err == nil:
		owner, err = r.Users.Get(ctx, known.UserID())
		if err != nil {
			return nil, nil, err
		}
	case !errors.Is(err, identity.ErrNotFound):
		return nil, nil, err
	default:
		err = nil // a new identity
	}
	if email, ok := c.ParsedEmail(); ok {
		sameEmail, err = r.Users.FindByEmail(ctx, email)
		if errors.Is(err, user.ErrNotFound) {
			sameEmail, err = nil, nil
		}
	}
	return owner, sameEmail, err
}

// attach links a new identity for the claims to userID and records it;
// how says why ("email", "signup", "request").
func (uc *CompleteSignIn) attach(ctx context.Context, r outbound.Repositories, userID user.ID, c identity.Claims, client inbound.Client, how string) error {
	i, err := identity.Link(identity.ID(uc.ids.NewID()), userID, c, uc.clock.Now())
	if err != nil {
		return err
	}
	if err := r.Identities.Add(ctx, i); err != nil {
		return err
	}
	return r.Audit.Record(ctx, uc.events.new(audit.IdentityLinked, userID, session.ID{}, client,
		map[string]string{"provider": c.Provider, "identityId": i.ID().String(), "via": how}))
}

// link attaches the identity to the caller of a link flow.
func (uc *CompleteSignIn) link(ctx context.Context, res result, c identity.Claims, callerID user.ID, client inbound.Client) (inbound.SignInResult, error) {
	var err error
	for attempt := 1; ; attempt++ {
		err = uc.linkOnce(ctx, c, callerID, client)
		if !lostRace(err) || attempt >= conflictAttempts {
			break
		}
	}
	if err == nil {
		return res.done("linked", c.Provider, outcomeLinked), nil
	}
	failure := errorCode(err)
	if failure == "" {
		return inbound.SignInResult{}, err
	}
	return res.failed(failure), nil
}

func (uc *CompleteSignIn) linkOnce(ctx context.Context, c identity.Claims, callerID user.ID, client inbound.Client) error {
	return uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		// Locking the caller serialises this with an unlink or a delete.
		caller, err := r.Users.Update(ctx, callerID, func(*user.User) error { return nil })
		if err != nil {
			return err
		}
		var owner *user.User
		known, err := r.Identities.FindBySubject(ctx, c.Provider, c.Subject)
		switch {
		case err == nil:
			if owner, err = r.Users.Get(ctx, known.UserID()); err != nil {
				return err
			}
		case !errors.Is(err, identity.ErrNotFound):
			return err
		}
		action, err := identity.DecideLink(c, caller, owner)
		if err != nil || action == identity.AlreadyLinked {
			return err
		}
		return uc.attach(ctx, r, callerID, c, client, "request")
	})
}
