package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"
)

// accessLog writes one line per request. It names the matched route
// pattern, never the raw URL (whose query could hold anything), and never
// headers or bodies, which carry tokens and passwords.
func (a *api) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	elapsed := time.Since(start)
	if a.opts.Observer != nil {
		a.opts.Observer.Request(c.Request.Method, c.FullPath(), c.Writer.Status(), elapsed)
	}
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	a.log.Info("request",
		zap.String("request_id", requestIDFrom(c.Request.Context())),
		zap.String("method", c.Request.Method),
		zap.String("route", route),
		zap.Int("status", c.Writer.Status()),
		zap.Duration("latency", elapsed),
		zap.String("client_ip", c.ClientIP()),
		zap.Int("bytes", max(c.Writer.Size(), 0)),
	)
}

// recoverPanics turns a handler panic into a 500 internal problem, logged
// once through fail like any unknown error. A panic value is formatted with
// %v only for the log, never for the client.
func (a *api) recoverPanics(c *gin.Context) {
	defer func() {
		rec := recover()
		if rec == nil {
			return
		}
		if rec == http.ErrAbortHandler {
			// The server's own signal to drop the connection: let it through.
			panic(rec)
		}
		if c.Writer.Written() {
			a.log.Error("panic after the response started",
				zap.String("request_id", requestIDFrom(c.Request.Context())),
				zap.String("panic", fmt.Sprint(rec)))
			c.Abort()
			return
		}
		a.fail(c, fmt.Errorf("panic: %v", rec))
	}()
	c.Next()
}
