package httpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// signup: POST /v1/auth/signup -> 201 token response.
func (a *api) signup(c *gin.Context) {
	var req signupRequest
	if err := a.decode(c, &req, bodyRequired); err != nil {
		a.fail(c, err)
		return
	}
	if err := required(field("email", req.Email), field("password", req.Password), field("fullName", req.FullName)); err != nil {
		a.fail(c, err)
		return
	}
	pair, err := a.uc.Signup.Handle(c.Request.Context(), inbound.SignupCommand{
		Email:           *req.Email,
		Password:        *req.Password,
		FullName:        *req.FullName,
		PasswordConfirm: req.PasswordConfirm,
		Client:          clientOf(c),
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	// With email verification required no session exists yet: no tokens,
	// no cookie, only the account.
	if pair.Pending {
		if pair.User == nil {
			a.fail(c, errors.New("httpapi: a pending signup without user"))
			return
		}
		c.JSON(http.StatusCreated, userEnvelope{User: toUserDTO(pair.User)})
		return
	}
	a.respondTokens(c, http.StatusCreated, pair)
}

// login: POST /v1/auth/login -> 200 token response.
func (a *api) login(c *gin.Context) {
	var req loginRequest
	if err := a.decode(c, &req, bodyRequired); err != nil {
		a.fail(c, err)
		return
	}
	if err := required(field("email", req.Email), field("password", req.Password)); err != nil {
		a.fail(c, err)
		return
	}
	pair, err := a.uc.Login.Handle(c.Request.Context(), inbound.LoginCommand{
		Email:    *req.Email,
		Password: *req.Password,
		Client:   clientOf(c),
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	a.respondTokens(c, http.StatusOK, pair)
}

// refresh: POST /v1/auth/refresh -> 200 token response with a rotated
// refresh token. The body may be empty when the cookie carries the token.
func (a *api) refresh(c *gin.Context) {
	var req refreshRequest
	if err := a.decode(c, &req, bodyOptional); err != nil {
		a.fail(c, err)
		return
	}
	token := a.presentedRefreshToken(c, req.RefreshToken)
	if token == "" {
		a.fail(c, outbound.ErrRefreshTokenInvalid)
		return
	}
	pair, err := a.uc.Refresh.Handle(c.Request.Context(), inbound.RefreshCommand{
		RefreshToken: token,
		Client:       clientOf(c),
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	a.respondTokens(c, http.StatusOK, pair)
}

// logout: POST /v1/auth/logout -> 204, also for a missing, unknown or spent
// token, and clears the cookie. Only a real failure (storage down) is an
// error: answering 204 then would tell the client a live session ended.
func (a *api) logout(c *gin.Context) {
	var req refreshRequest
	if err := a.decode(c, &req, bodyOptional); err != nil {
		a.fail(c, err)
		return
	}
	if token := a.presentedRefreshToken(c, req.RefreshToken); token != "" {
		err := a.uc.Logout.Handle(c.Request.Context(), inbound.LogoutCommand{RefreshToken: token, Client: clientOf(c)})
		if err != nil && !isDeadToken(err) {
			a.fail(c, err)
			return
		}
	}
	a.clearRefreshCookie(c)
	c.Status(http.StatusNoContent)
}

// isDeadToken recognises the outcomes logout treats as success, in case the
// use case reports them instead of swallowing them.
func isDeadToken(err error) bool {
	return errors.Is(err, outbound.ErrRefreshTokenInvalid) || errors.Is(err, session.ErrRefreshTokenReused) ||
		errors.Is(err, session.ErrEnded) || errors.Is(err, session.ErrNotFound)
}

// respondTokens writes a token response, handing the refresh token to the
// cookie and/or the body as the transport says.
func (a *api) respondTokens(c *gin.Context, status int, pair inbound.TokenPair) {
	if pair.User == nil {
		a.fail(c, errors.New("httpapi: token pair without user"))
		return
	}
	a.setRefreshCookie(c, pair.RefreshToken, pair.RefreshExpiresAt)
	c.JSON(status, toTokenResponse(pair, a.transport.body()))
}

// decode reads the JSON body under the configured limit.
func (a *api) decode(c *gin.Context, dst any, policy bodyPolicy) error {
	return readJSON(c.Request, c.Writer, a.opts.BodyLimit, dst, policy)
}

// clientOf describes the caller for the session record and the audit
// trail; the domain bounds what it keeps of the user agent.
func clientOf(c *gin.Context) inbound.Client {
	return inbound.Client{IP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
}
