package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"
)

// readyTimeout bounds a readiness check so that a hung database makes the
// probe fail rather than hang.
const readyTimeout = 2 * time.Second

// healthz: liveness, the process answers.
func (a *api) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, statusResponse{Status: "ok"})
}

// readyz: readiness. A failure is logged with its cause and answered 503
// with code internal (the contract has no more specific code) and nothing
// of the cause. When ready, the optional checks describe degraded
// dependencies; they never turn the answer into a 503, since the service
// still works (a rate limiter falling back to in-process counting, say).
func (a *api) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), readyTimeout)
	defer cancel()
	if err := a.probes.Ready(ctx); err != nil {
		a.log.Warn("not ready",
			zap.String("request_id", requestIDFrom(c.Request.Context())),
			zap.Error(err))
		writeProblem(c, newProblem(http.StatusServiceUnavailable, "internal", "the service is not ready"))
		return
	}
	resp := statusResponse{Status: "ok", Checks: a.probes.Checks(ctx)}
	c.JSON(http.StatusOK, resp)
}

// jwks: the public keys that may verify a live access token. Verifiers
// may cache the document for Options.JWKSMaxAge; the ETag is a digest of
// the document, so a conditional request is answered 304 until the key set
// changes.
func (a *api) jwks(c *gin.Context) {
	doc, err := a.probes.JWKS()
	if err == nil && len(doc) == 0 {
		err = errors.New("httpapi: empty JWKS document")
	}
	if err != nil {
		a.fail(c, err)
		return
	}
	sum := sha256.Sum256(doc)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
	c.Header("Cache-Control", "public, max-age="+ceilSeconds(a.opts.JWKSMaxAge))
	c.Header("ETag", etag)
	if etagMatches(c.Request.Header.Values("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "application/json", doc)
}

// etagMatches applies If-None-Match (RFC 9110 §13.1.2): "*" or any listed
// entity tag equal to etag under the weak comparison.
func etagMatches(values []string, etag string) bool {
	for _, v := range values {
		for tag := range strings.SplitSeq(v, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
				return true
			}
		}
	}
	return false
}
