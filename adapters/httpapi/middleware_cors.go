package httpapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// CORS answers. Preflights may be cached by the browser for ten minutes.
const (
	corsAllowMethods  = "GET, POST, PATCH, DELETE"
	corsAllowHeaders  = "Authorization, Content-Type, X-Request-ID"
	corsExposeHeaders = "X-Request-ID, Retry-After, RateLimit, RateLimit-Policy"
	corsMaxAge        = "600"
)

// cors implements the explicit allow-list: an allowed origin gets its own
// origin back with credentials; anyone else gets no CORS headers at all,
// and a disallowed preflight is refused with 403 origin_not_allowed (the
// more precise of the two codes the contract offers). Every response
// varies on Origin so that caches keep the answers apart.
func (a *api) cors(c *gin.Context) {
	h := c.Writer.Header()
	h.Add("Vary", "Origin")
	origin := c.GetHeader("Origin")
	allowed := origin != "" && a.origins[origin]

	if isPreflight(c.Request) {
		h.Add("Vary", "Access-Control-Request-Method")
		h.Add("Vary", "Access-Control-Request-Headers")
		if !allowed {
			a.fail(c, errOriginNotAllowed)
			return
		}
		setAllowOrigin(h, origin)
		h.Set("Access-Control-Allow-Methods", corsAllowMethods)
		h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
		h.Set("Access-Control-Max-Age", corsMaxAge)
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	if allowed {
		setAllowOrigin(h, origin)
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
	}
	c.Next()
}

func setAllowOrigin(h http.Header, origin string) {
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
}

// isPreflight recognises a CORS preflight: OPTIONS with Origin and
// Access-Control-Request-Method. Any other OPTIONS is routed normally.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" &&
		r.Header.Get("Access-Control-Request-Method") != ""
}

// originGuard is the CSRF defence of the refresh cookie: while the cookie
// transport is on, signup, login, refresh and logout refuse an Origin that
// is neither the server's own nor allow-listed. Requests without Origin
// (non-browser clients) pass; SameSite=Strict covers the rest.
func (a *api) originGuard(c *gin.Context) {
	if !a.transport.cookie() {
		c.Next()
		return
	}
	origin := c.GetHeader("Origin")
	if origin == "" || a.origins[origin] || sameOrigin(origin, c.Request.Host) {
		c.Next()
		return
	}
	a.fail(c, errOriginNotAllowed)
}

// sameOrigin compares the Origin's host[:port] with the Host the request
// was sent to. The scheme is not compared: behind a TLS-terminating proxy
// the server cannot know it. A proxy that rewrites Host must either keep it
// or the public origin must be listed in the allowed origins. "null" and
// other opaque origins never match.
func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || host == "" {
		return false
	}
	// Browsers omit the default port from Origin; some clients put it in Host.
	switch u.Scheme {
	case "https":
		host = strings.TrimSuffix(host, ":443")
	case "http":
		host = strings.TrimSuffix(host, ":80")
	}
	return strings.EqualFold(u.Host, host)
}
