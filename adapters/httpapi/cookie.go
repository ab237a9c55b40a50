package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Refresh cookie names. The __Secure- prefix makes browsers refuse the
// cookie unless it is Secure and was set over HTTPS (or localhost).
const (
	secureCookieName   = "__Secure-authd_refresh"
	insecureCookieName = "authd_refresh"
	cookiePath         = "/v1/auth"
)

// transport says where the refresh token travels.
type transport string

const (
	transportBody   transport = "body"
	transportCookie transport = "cookie"
	transportBoth   transport = "both"
)

func parseTransport(s string) (transport, error) {
	switch t := transport(s); t {
	case "":
		return transportBoth, nil
	case transportBody, transportCookie, transportBoth:
		return t, nil
	}
	return "", fmt.Errorf(`httpapi: refresh transport %q must be "body", "cookie" or "both"`, s)
}

// body reports whether responses carry the token and requests may send it
// in JSON.
func (t transport) body() bool { return t != transportCookie }

// cookie reports whether the token travels in the refresh cookie.
func (t transport) cookie() bool { return t != transportBody }

func cookieName(secure bool) string {
	if secure {
		return secureCookieName
	}
	return insecureCookieName
}

// presentedRefreshToken picks the token of a refresh or logout request:
// the JSON body's when the body transport is on and it sent one (it wins in
// "both" mode), otherwise the cookie's when the cookie transport is on.
func (a *api) presentedRefreshToken(c *gin.Context, fromBody *string) string {
	if a.transport.body() && fromBody != nil && *fromBody != "" {
		return *fromBody
	}
	if a.transport.cookie() {
		if ck, err := c.Request.Cookie(a.cookie); err == nil {
			return ck.Value
		}
	}
	return ""
}

// setRefreshCookie stores token until expiresAt, when the cookie transport
// is on.
func (a *api) setRefreshCookie(c *gin.Context, token string, expiresAt time.Time) {
	if !a.transport.cookie() {
		return
	}
	maxAge := int(expiresAt.Sub(a.probes.Clock.Now()) / time.Second)
	if maxAge <= 0 {
		// net/http reads MaxAge < 0 as "Max-Age=0" (delete) and 0 as "no
		// Max-Age" (a session cookie): an already expired token is deleted.
		maxAge = -1
	}
	a.writeCookie(c, token, maxAge)
}

// clearRefreshCookie tells the browser to drop the cookie (Max-Age=0).
func (a *api) clearRefreshCookie(c *gin.Context) {
	if a.transport.cookie() {
		a.writeCookie(c, "", -1)
	}
}

func (a *api) writeCookie(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name:     a.cookie,
		Value:    value,
		Path:     cookiePath,
		MaxAge:   maxAge,
		Secure:   a.opts.CookieSecure,
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
	})
}
