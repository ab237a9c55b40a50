package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/authd/authd/ports/inbound"
)

type principalKey struct{}

// requireBearer authenticates "Authorization: Bearer <jwt>" through the
// Authenticate use case and stores the Principal for the handlers. A missing or
// malformed header is a plain challenge; a presented token that fails gets
// error="invalid_token" (RFC 6750 §3.1).
func (a *api) requireBearer(c *gin.Context) {
	token, ok := bearerToken(c.GetHeader("Authorization"))
	if !ok {
		c.Header("WWW-Authenticate", "Bearer")
		a.fail(c, inbound.ErrUnauthenticated)
		return
	}
	p, err := a.uc.Authenticate.Handle(c.Request.Context(), inbound.AuthenticateCommand{BearerToken: token})
	if err != nil {
		if m, known := lookupError(err); known && m.status == http.StatusUnauthorized {
			c.Header("WWW-Authenticate", `Bearer error="invalid_token"`)
		}
		a.fail(c, err)
		return
	}
	p.Client = clientOf(c)
	c.Set(principalKey{}, p)
	c.Next()
}

// requireAdmin, behind requireBearer, lets through only a caller whose
// current record (read by Authenticate on this request, not the
// token's role claim) has the admin role, so a demotion takes effect on the
// next request.
func (a *api) requireAdmin(c *gin.Context) {
	p, ok := principalOf(c)
	if !ok {
		a.fail(c, errNoPrincipal)
		return
	}
	if !p.User.Role().IsAdmin() {
		a.fail(c, inbound.ErrForbidden)
		return
	}
	c.Next()
}

// principalOf returns the Principal requireBearer stored. Handlers behind
// requireBearer can rely on it; ok is false only on a wiring mistake.
func principalOf(c *gin.Context) (inbound.Principal, bool) {
	v, exists := c.Get(principalKey{})
	if !exists {
		return inbound.Principal{}, false
	}
	p, ok := v.(inbound.Principal)
	return p, ok && p.User != nil
}

// bearerToken extracts the credentials of the Bearer scheme (matched case
// insensitively, RFC 9110 §11.1). The token must be one non-empty run of
// token68 characters: anything else is malformed.
func bearerToken(header string) (string, bool) {
	scheme, token, found := strings.Cut(header, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimLeft(token, " ")
	if token == "" {
		return "", false
	}
	for i := 0; i < len(token); i++ {
		if !isToken68(token[i]) {
			return "", false
		}
	}
	return token, true
}

// isToken68 reports whether ch may appear in an RFC 9110 token68.
func isToken68(ch byte) bool {
	switch {
	case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9':
		return true
	}
	return strings.IndexByte("-._~+/=", ch) >= 0
}
