package httpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
)

// errNoPrincipal means a route that needs a caller was registered without
// requireBearer: a wiring mistake, so a 500.
var errNoPrincipal = errors.New("httpapi: no principal on an authenticated route")

// withPrincipal runs fn with the authenticated caller.
func (a *api) withPrincipal(fn func(c *gin.Context, p inbound.Principal) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := principalOf(c)
		if !ok {
			a.fail(c, errNoPrincipal)
			return
		}
		if err := fn(c, p); err != nil {
			a.fail(c, err)
		}
	}
}

// me: GET /v1/auth/me -> {"user": User}.
func (a *api) me(c *gin.Context, p inbound.Principal) error {
	u, err := a.uc.Me.Handle(c.Request.Context(), inbound.MeQuery{Principal: p})
	if err != nil {
		return err
	}
	if u == nil {
		return errors.New("httpapi: me returned no user")
	}
	c.JSON(http.StatusOK, userEnvelope{User: toUserDTO(u)})
	return nil
}

// changePassword: POST /v1/auth/password -> 204.
func (a *api) changePassword(c *gin.Context, p inbound.Principal) error {
	var req changePasswordRequest
	if err := a.decode(c, &req, bodyRequired); err != nil {
		return err
	}
	if err := required(field("currentPassword", req.CurrentPassword), field("newPassword", req.NewPassword)); err != nil {
		return err
	}
	err := a.uc.ChangePassword.Handle(c.Request.Context(), inbound.ChangePasswordCommand{
		Principal:       p,
		CurrentPassword: *req.CurrentPassword,
		NewPassword:     *req.NewPassword,
	})
	if err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// logoutAll: POST /v1/auth/logout-all -> 204. The refresh cookie belongs to
// one of the sessions just ended, so it is cleared too.
func (a *api) logoutAll(c *gin.Context, p inbound.Principal) error {
	if err := a.uc.LogoutAll.Handle(c.Request.Context(), inbound.LogoutAllCommand{Principal: p}); err != nil {
		return err
	}
	a.clearRefreshCookie(c)
	c.Status(http.StatusNoContent)
	return nil
}

// listSessions: GET /v1/auth/sessions -> {"sessions": [Session]}.
func (a *api) listSessions(c *gin.Context, p inbound.Principal) error {
	views, err := a.uc.ListSessions.Handle(c.Request.Context(), inbound.ListSessionsQuery{Principal: p})
	if err != nil {
		return err
	}
	out := make([]sessionDTO, 0, len(views))
	for _, v := range views {
		if v.Session == nil {
			return errors.New("httpapi: session view without session")
		}
		out = append(out, toSessionDTO(v))
	}
	c.JSON(http.StatusOK, sessionsEnvelope{Sessions: out})
	return nil
}

// revokeSession: DELETE /v1/auth/sessions/{id} -> 204. An id that is not a
// UUID cannot name a session, so it is 404 without asking the use case.
func (a *api) revokeSession(c *gin.Context, p inbound.Principal) error {
	id, err := session.ParseID(c.Param("id"))
	if err != nil {
		return session.ErrNotFound
	}
	if err := a.uc.RevokeSession.Handle(c.Request.Context(), inbound.RevokeSessionCommand{Principal: p, SessionID: id}); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// revokeOtherSessions: DELETE /v1/auth/sessions -> 204.
func (a *api) revokeOtherSessions(c *gin.Context, p inbound.Principal) error {
	if err := a.uc.RevokeOtherSessions.Handle(c.Request.Context(), inbound.RevokeOtherSessionsCommand{Principal: p}); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
