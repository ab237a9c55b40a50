package application

import (
	"context"
	"errors"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// maxLoginCodeLength bounds what is hashed of a presented code; real
// codes are 43 characters.
const maxLoginCodeLength = 128

// ExchangeLoginCode trades the one-time login code of a finished provider
// sign-in for a new session's tokens.
type ExchangeLoginCode struct {
	clock  outbound.Clock
	opener sessionOpener
	verify EmailVerification
}

var _ inbound.ExchangeLoginCode = (*ExchangeLoginCode)(nil)

// NewExchangeLoginCode builds the use case. verify applies to provider
// sign-ins as to password logins: under VerificationRequired an account
// whose address nobody verified (the provider did not vouch for it) opens
// no session.
func NewExchangeLoginCode(tx outbound.Transactor, access outbound.AccessTokens, refresh outbound.RefreshTokens,
	clock outbound.Clock, ids outbound.IDGenerator, rules SessionRules, verify EmailVerification) *ExchangeLoginCode {
	return &ExchangeLoginCode{clock: clock, opener: newSessionOpener(tx, access, refresh, clock, ids, rules), verify: verify}
}

// Handle spends the code and opens the session in one unit of work, under
// the same cap as a password login, and records oidc_login. A code that
// is unknown, spent or expired is onetime.ErrInvalid, whichever it is;
// a disabled account is user.ErrDisabled, and one whose address must be
// verified first inbound.ErrEmailNotVerified; both leave the code unspent.
func (uc *ExchangeLoginCode) Handle(ctx context.Context, cmd inbound.ExchangeLoginCodeCommand) (inbound.TokenPair, error) {
	if cmd.Code == "" || len(cmd.Code) > maxLoginCodeLength {
		return inbound.TokenPair{}, onetime.ErrInvalid
	}
	detail := map[string]string{}
	return uc.opener.open(ctx, user.ID{}, cmd.Client, openingUnit{
		resolve: func(ctx context.Context, r outbound.Repositories) (user.ID, error) {
			code, err := r.LoginCodes.Take(ctx, identity.HashSecret(cmd.Code))
			if errors.Is(err, identity.ErrNotFound) {
				return user.ID{}, onetime.ErrInvalid
			}
			if err != nil {
				return user.ID{}, err
			}
			if code.Expired(uc.clock.Now()) {
				return user.ID{}, onetime.ErrInvalid
			}
			detail["provider"] = code.Provider
			return code.UserID, nil
		},
		check: func(u *user.User, _ time.Time) error {
			if err := u.CanAuthenticate(); err != nil {
				return err
			}
			if uc.verify == VerificationRequired && !u.EmailVerified() {
				return inbound.ErrEmailNotVerified
			}
			return nil
		},
		missing: onetime.ErrInvalid,
		event:   audit.OIDCLogin,
		detail:  detail,
	})
}
