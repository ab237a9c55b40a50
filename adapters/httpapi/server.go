package httpapi

import (
	"net/http"
	"time"
)

// Server limits. Reading headers gets a short deadline (slowloris); a whole
// request body is at most the body limit, so ReadTimeout can be short too.
// WriteTimeout leaves room for a login queued behind password hashing.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 32 << 10
)

// NewServer wraps h in an http.Server with timeouts and a header size cap.
// The caller starts it (Serve on a listener) and stops it with Shutdown.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}
