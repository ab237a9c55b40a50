package httpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

// adminListUsers: GET /v1/admin/users?limit=&cursor=&email= ->
// {"users": [User], "nextCursor": "..." | null}.
func (a *api) adminListUsers(c *gin.Context, p inbound.Principal) error {
	q := newQueryReader(c)
	query := inbound.ListUsersQuery{Principal: p, Limit: q.limit(), Cursor: q.text("cursor"), EmailPrefix: q.text("email")}
	if err := q.err(); err != nil {
		return err
	}
	page, err := a.uc.ListUsers.Handle(c.Request.Context(), query)
	if err != nil {
		return err
	}
	users := make([]userDTO, 0, len(page.Users))
	for _, u := range page.Users {
		if u == nil {
			return errors.New("httpapi: user page holds a nil user")
		}
		users = append(users, toUserDTO(u))
	}
	c.JSON(http.StatusOK, userPageResponse{Users: users, NextCursor: nonEmpty(page.NextCursor)})
	return nil
}

// adminGetUser: GET /v1/admin/users/{id} -> {"user": User}.
func (a *api) adminGetUser(c *gin.Context, p inbound.Principal) error {
	id, err := userIDParam(c)
	if err != nil {
		return err
	}
	u, err := a.uc.GetUser.Handle(c.Request.Context(), inbound.GetUserQuery{Principal: p, UserID: id})
	if err != nil {
		return err
	}
	return respondUser(c, u)
}

// adminUpdateUser: PATCH /v1/admin/users/{id} {role?, disabled?, fullName?}
// -> {"user": User}. Absent members stay as they are; null is refused.
func (a *api) adminUpdateUser(c *gin.Context, p inbound.Principal) error {
	id, err := userIDParam(c)
	if err != nil {
		return err
	}
	var req updateUserRequest
	if err := a.decode(c, &req, bodyRequired); err != nil {
		return err
	}
	if err := req.nulls(); err != nil {
		return err
	}
	u, err := a.uc.UpdateUser.Handle(c.Request.Context(), inbound.UpdateUserCommand{
		Principal: p,
		UserID:    id,
		Role:      req.Role.ptr(),
		Disabled:  req.Disabled.ptr(),
		FullName:  req.FullName.ptr(),
	})
	if err != nil {
		return err
	}
	return respondUser(c, u)
}

// adminDeleteUser: DELETE /v1/admin/users/{id} -> 204.
func (a *api) adminDeleteUser(c *gin.Context, p inbound.Principal) error {
	id, err := userIDParam(c)
	if err != nil {
		return err
	}
	if err := a.uc.DeleteUser.Handle(c.Request.Context(), inbound.DeleteUserCommand{Principal: p, UserID: id}); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// adminListUserSessions: GET /v1/admin/users/{id}/sessions ->
// {"sessions": [Session]}. "current" keeps the contract's meaning, the
// session of the access token that asked: it is true only when an
// administrator lists its own sessions.
func (a *api) adminListUserSessions(c *gin.Context, p inbound.Principal) error {
	id, err := userIDParam(c)
	if err != nil {
		return err
	}
	list, err := a.uc.ListUserSessions.Handle(c.Request.Context(), inbound.ListUserSessionsQuery{Principal: p, UserID: id})
	if err != nil {
		return err
	}
	out := make([]sessionDTO, 0, len(list))
	for _, s := range list {
		if s == nil {
			return errors.New("httpapi: session list holds a nil session")
		}
		out = append(out, toSessionDTO(inbound.SessionView{Session: s, Current: s.ID() == p.SessionID}))
	}
	c.JSON(http.StatusOK, sessionsEnvelope{Sessions: out})
	return nil
}

// adminRevokeUserSessions: DELETE /v1/admin/users/{id}/sessions -> 204.
func (a *api) adminRevokeUserSessions(c *gin.Context, p inbound.Principal) error {
	id, err := userIDParam(c)
	if err != nil {
		return err
	}
	if err := a.uc.RevokeUserSessions.Handle(c.Request.Context(), inbound.RevokeUserSessionsCommand{Principal: p, UserID: id}); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// adminListAudit: GET /v1/admin/audit?userId=&type=&limit=&cursor= ->
// {"events": [AuditEvent], "nextCursor": "..." | null}, newest first. The
// use case judges type and cursor; limit and userId are parsed here.
func (a *api) adminListAudit(c *gin.Context, p inbound.Principal) error {
	q := newQueryReader(c)
	query := inbound.ListAuditQuery{
		Principal: p, UserID: q.userID("userId"), Type: q.text("type"), Cursor: q.text("cursor"), Limit: q.limit(),
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := a.uc.ListAudit.Handle(c.Request.Context(), query)
	if err != nil {
		return err
	}
	events := make([]auditEventDTO, 0, len(page.Events))
	for _, e := range page.Events {
		events = append(events, toAuditEventDTO(e))
	}
	c.JSON(http.StatusOK, auditPageResponse{Events: events, NextCursor: nonEmpty(page.NextCursor)})
	return nil
}

// userIDParam reads the {id} of an admin user route. An id that is not a
// UUID cannot name an account, so it is 404 without asking the use case.
func userIDParam(c *gin.Context) (user.ID, error) {
	id, err := user.ParseID(c.Param("id"))
	if err != nil {
		return user.ID{}, user.ErrNotFound
	}
	return id, nil
}

// respondUser answers {"user": User}.
func respondUser(c *gin.Context, u *user.User) error {
	if u == nil {
		return errors.New("httpapi: use case returned no user")
	}
	c.JSON(http.StatusOK, userEnvelope{User: toUserDTO(u)})
	return nil
}
