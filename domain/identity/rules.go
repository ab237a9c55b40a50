package identity

import "github.com/authd/authd/domain/user"

// Policy is what a provider is trusted with, from its configuration.
type Policy struct {
	// LinkByEmail lets a sign-in whose email the provider verified join
	// the existing account that has that email.
	LinkByEmail bool
	// AllowSignup lets a sign-in with an unknown identity and email create
	// a new account.
	AllowSignup bool
}

// Action is what a verified sign-in does.
type Action int

// The actions Decide can choose.
const (
	// LogIn: the identity is known; its user signs in.
	LogIn Action = iota + 1
	// LinkAndLogIn: the identity is new, and the account with the same,
	// provider-verified email gets it linked and signs in.
	LinkAndLogIn
	// SignUp: the identity and email are new; a user without a password is
	// created, the identity linked to it, and it signs in.
	SignUp
)

// Decision is Decide's answer. User is the account that signs in (nil for
// SignUp, whose account does not exist yet); Email is the new account's
// email for SignUp.
type Decision struct {
	Action Action
	User   *user.User
	Email  user.Email
}

// Decide applies the sign-in rules to verified claims:
//
//   - a known identity (owner is its user) logs its user in, unless the
//     account is disabled (user.ErrDisabled);
//   - otherwise an account with the same email (sameEmail) is linked only
//     when the provider asserts email_verified and the policy links by
//     email; otherwise ErrAccountExists (whatever the account's state,
//     so that an unverified claim learns nothing more). A disabled
//     account that could be linked is user.ErrDisabled;
//   - otherwise, when the policy allows sign-up, a new account with the
//     provider's email (ErrEmailMissing without one), else ErrSignupClosed.
func Decide(c Claims, p Policy, owner, sameEmail *user.User) (Decision, error) {
	if err := c.validate(); err != nil {
		return Decision{}, err
	}
	if owner != nil {
		if err := owner.CanAuthenticate(); err != nil {
			return Decision{}, err
		}
		return Decision{Action: LogIn, User: owner}, nil
	}
	if sameEmail != nil {
		verified, ok := c.VerifiedEmail()
		if !ok || !p.LinkByEmail || verified != sameEmail.Email() {
			return Decision{}, ErrAccountExists
		}
		if err := sameEmail.CanAuthenticate(); err != nil {
			return Decision{}, err
		}
		return Decision{Action: LinkAndLogIn, User: sameEmail}, nil
	}
	if !p.AllowSignup {
		return Decision{}, ErrSignupClosed
	}
	email, ok := c.ParsedEmail()
	if !ok {
		return Decision{}, ErrEmailMissing
	}
	return Decision{Action: SignUp, Email: email}, nil
}

// LinkAction is what a verified link flow does.
type LinkAction int

// The actions DecideLink can choose.
const (
	// Attach: the identity is new and becomes the caller's.
	Attach LinkAction = iota + 1
	// AlreadyLinked: the identity is the caller's already; nothing changes.
	AlreadyLinked
)

// DecideLink applies the rules of linking an identity to the signed-in
// caller: a disabled caller links nothing (user.ErrDisabled); an identity
// that belongs to another user stays there (ErrIdentityTaken); one that is
// the caller's already is a success that changes nothing. The emails need
// not match: the caller proved both accounts are theirs.
func DecideLink(c Claims, caller *user.User, owner *user.User) (LinkAction, error) {
	if err := c.validate(); err != nil {
		return 0, err
	}
	if err := caller.CanAuthenticate(); err != nil {
		return 0, err
	}
	if owner == nil {
		return Attach, nil
	}
	if owner.ID() != caller.ID() {
		return 0, ErrIdentityTaken
	}
	return AlreadyLinked, nil
}

// CheckUnlink says whether the identity target may be removed from u,
// whose identities are linked: it must be one of them (ErrNotFound
// otherwise, also for another user's identity), and the account must keep
// a way to sign in: a password or another identity (ErrLastSignInMethod).
func CheckUnlink(u *user.User, linked []*Identity, target ID) (*Identity, error) {
	var found *Identity
	for _, i := range linked {
		if i.ID() == target && i.UserID() == u.ID() {
			found = i
		}
	}
	if found == nil {
		return nil, ErrNotFound
	}
	if !u.HasPassword() && len(linked) <= 1 {
		return nil, ErrLastSignInMethod
	}
	return found, nil
}
