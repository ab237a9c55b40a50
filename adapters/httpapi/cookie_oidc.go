package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/authd/authd/domain/identity"
)

// The flow cookie binds a started sign-in to the browser that started it.
// SameSite=Lax, unlike the refresh cookie: the provider's redirect back to
// the callback is a cross-site top-level navigation, on which Lax cookies
// are sent and Strict ones are not.
const (
	secureFlowCookieName   = "__Secure-authd_oidc"
	insecureFlowCookieName = "authd_oidc"
	flowCookiePath         = "/v1/auth/oidc"
)

func (a *api) flowCookieName() string {
	if a.opts.CookieSecure {
		return secureFlowCookieName
	}
	return insecureFlowCookieName
}

// setFlowCookie stores the binding for as long as the flow lives.
func (a *api) setFlowCookie(c *gin.Context, binding string) {
	a.writeFlowCookie(c, binding, int(identity.StateLifetime.Seconds()))
}

// clearFlowCookie drops it (Max-Age=0).
func (a *api) clearFlowCookie(c *gin.Context) { a.writeFlowCookie(c, "", -1) }

func (a *api) writeFlowCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name:     a.flowCookieName(),
		Value:    value,
		Path:     flowCookiePath,
		MaxAge:   maxAge,
		Secure:   a.opts.CookieSecure,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
}

// flowCookie returns the binding the browser sent, or "".
func (a *api) flowCookie(c *gin.Context) string {
	ck, err := c.Request.Cookie(a.flowCookieName())
	if err != nil {
		return ""
	}
	return ck.Value
}
