package httpapi

import (
	"strings"

	"github.com/gin-gonic/gin"
)

// securityHeaders sets the contract's headers on every response before any
// handler can write, so that even a panic's 500 carries them.
func (a *api) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if a.opts.Env == "production" {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	c.Next()
}

// noStore forbids caching of everything under /v1/: tokens, accounts and
// sessions. It keys on the raw path, not the matched route, so that 404,
// 405 and preflight answers under /v1/auth/ carry it too.
func (a *api) noStore(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/v1/") {
		c.Header("Cache-Control", "no-store")
	}
	c.Next()
}
