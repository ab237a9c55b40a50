package httpapi

import (
	"context"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// requestIDHeader carries the request id both ways.
const requestIDHeader = "X-Request-ID"

type requestIDKey struct{}

// requestID adopts the client's X-Request-ID when it is sane, otherwise
// generates one, echoes it, and stores it in the request context so that
// every log line of the request can carry it.
func (a *api) requestID(c *gin.Context) {
	id := c.GetHeader(requestIDHeader)
	if !saneRequestID(id) {
		id = uuid.NewString()
	}
	c.Header(requestIDHeader, id)
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), requestIDKey{}, id))
	c.Next()
}

// RequestIDFrom returns the request id the HTTP adapter stored in ctx, or ""
// outside a request. Logging decorators of the use cases can use it to tie
// their lines to the access log.
func RequestIDFrom(ctx context.Context) string { return requestIDFrom(ctx) }

func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// saneRequestID accepts 1 to 128 characters of [A-Za-z0-9._:-], which keeps
// log lines and response headers free of anything a client could abuse.
func saneRequestID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch ch := id[i]; {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9',
			ch == '.', ch == '_', ch == ':', ch == '-':
		default:
			return false
		}
	}
	return true
}
