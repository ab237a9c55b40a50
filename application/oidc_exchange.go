package application

import (
	"context"
	"errors"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/identity"
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
}

var _ inbound.ExchangeLoginCode = (*ExchangeLoginCode)(nil)

// NewExchangeLoginCode builds the use case.
func NewExchangeLoginCode(tx outbound.Transactor, access outbound.AccessTokens, refresh outbound.RefreshTokens,
	clock outbound.Clock, ids outbound.IDGenerator, rules SessionRules) *ExchangeLoginCode {
	return &ExchangeLoginCode{clock: clock, opener: newSessionOpener(tx, access, refresh, clock, ids, rules)}
}

// Handle spends the code and opens the session in one unit of work, under
// the same cap as a password login, and records oidc_login. A code that
// is unknown, spent or expired is ErrVerificationInvalid, whichever it is;
// a disabled account is user.ErrDisabled and leaves the code unspent.
func (uc *ExchangeLoginCode) Handle(ctx context.Context, cmd inbound.ExchangeLoginCodeCommand) (inbound.TokenPair, error) {
	if cmd.Code == "" || len(cmd.Code) > maxLoginCodeLength {
		return inbound.TokenPair{}, inbound.ErrVerificationInvalid
	}
	detail := map[string]string{}
	return uc.opener.open(ctx, user.ID{}, cmd.Client, openingUnit{
		resolve: func(ctx context.Context, r outbound.Repositories) (user.ID, error) {
			code, err := r.LoginCodes.Take(ctx, identity.HashSecret(cmd.Code))
			if errors.Is(err, identity.ErrNotFound) {
				return user.ID{}, inbound.ErrVerificationInvalid
			}
			if err != nil {
				return user.ID{}, err
			}
			if code.Expired(uc.clock.Now()) {
				return user.ID{}, inbound.ErrVerificationInvalid
			}
			detail["provider"] = code.Provider
			return code.UserID, nil
		},
		check:   func(u *user.User, _ time.Time) error { return u.CanAuthenticate() },
		missing: inbound.ErrVerificationInvalid,
		event:   audit.OIDCLogin,
		detail:  detail,
	})
}
