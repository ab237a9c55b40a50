package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/authd/authd/adapters/httpapi/openapi"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// DefaultBodyLimit is the request body limit used when Options.BodyLimit is
// not set.
const DefaultBodyLimit int64 = 64 << 10

// Options are the HTTP-level settings of the API.
type Options struct {
	// Env is the deployment environment; "production" adds HSTS.
	Env string
	// BodyLimit caps request bodies in bytes (DefaultBodyLimit when <= 0).
	BodyLimit int64
	// AllowedOrigins is the CORS allow-list of exact origins
	// (scheme://host[:port]); "*" is refused.
	AllowedOrigins []string
	// TrustedProxies lists the CIDRs (or single IPs) whose X-Forwarded-For
	// header is believed. Empty trusts nobody: the client IP is the TCP peer.
	TrustedProxies []string
	// RefreshTransport is "body", "cookie" or "both" ("both" when empty).
	RefreshTransport string
	// CookieSecure selects the __Secure-authd_refresh cookie with the Secure
	// attribute; false names it authd_refresh and drops Secure (refused in
	// production).
	CookieSecure bool
	// RateLimits configures per-IP request limiting and carries the limiter;
	// the zero value turns limiting off.
	RateLimits RateLimits
	// Observer, when set, is told of every answered request and every
	// rate-limit rejection (the metrics); nil observes nothing.
	Observer Observer
	// JWKSMaxAge is how long clients may cache the JWKS document
	// (DefaultJWKSMaxAge when <= 0).
	JWKSMaxAge time.Duration
	// Middleware runs first, before every other middleware, for every
	// request (tracing). It must never abort a request.
	Middleware []gin.HandlerFunc
	// MailLimits bound the mails to one address; the zero value turns them
	// off.
	MailLimits MailLimits
}

// DefaultJWKSMaxAge is the JWKS cache lifetime used when Options.JWKSMaxAge
// is not set.
const DefaultJWKSMaxAge = 5 * time.Minute

// Observer receives what only the HTTP layer knows, for metrics. Its
// methods run on the request's goroutine and must be quick.
type Observer interface {
	// Request reports an answered request. route is the matched route
	// template ("/v1/auth/sessions/:id"), empty when no route matched: the
	// raw path, which could be anything, is never passed on.
	Request(method, route string, status int, elapsed time.Duration)
	// RateLimited reports a request refused by the named per-IP quota.
	RateLimited(quota string)
}

// UseCases are the inbound ports the handlers call. Every field is required.
type UseCases struct {
	Signup              inbound.Signup
	Login               inbound.Login
	Refresh             inbound.Refresh
	Logout              inbound.Logout
	Authenticate        inbound.Authenticate
	Me                  inbound.Me
	ListSessions        inbound.ListSessions
	RevokeSession       inbound.RevokeSession
	LogoutAll           inbound.LogoutAll
	RevokeOtherSessions inbound.RevokeOtherSessions
	ChangePassword      inbound.ChangePassword
	ListUsers           inbound.ListUsers
	GetUser             inbound.GetUser
	UpdateUser          inbound.UpdateUser
	DeleteUser          inbound.DeleteUser
	ListUserSessions    inbound.ListUserSessions
	RevokeUserSessions  inbound.RevokeUserSessions
	ListAudit           inbound.ListAudit
	StartSignIn         inbound.StartSignIn
	StartLink           inbound.StartLink
	CompleteSignIn      inbound.CompleteSignIn
	ExchangeLoginCode   inbound.ExchangeLoginCode
	ListIdentities      inbound.ListIdentities
	UnlinkIdentity      inbound.UnlinkIdentity
	// The account lifecycle by email.
	SendVerification   inbound.SendVerification
	VerifyEmail        inbound.VerifyEmail
	ForgotPassword     inbound.ForgotPassword
	ResetPassword      inbound.ResetPassword
	RequestEmailChange inbound.RequestEmailChange
	ConfirmEmailChange inbound.ConfirmEmailChange
	UpdateProfile      inbound.UpdateProfile
}

// ReadyFunc returns nil when the service can take traffic (database
// reachable, migrations applied). Its error is logged, never sent.
type ReadyFunc func(ctx context.Context) error

// JWKSFunc returns the JSON document served at /.well-known/jwks.json.
type JWKSFunc func() ([]byte, error)

// ChecksFunc reports the state of dependencies that can degrade without
// making the service unready (for instance "ratelimit": "degraded: redis
// unreachable, using in-process limiter"). It runs only after Ready
// succeeded, and its answer is sent to the prober as is, so it must hold no
// secret. It may return nil.
type ChecksFunc func(ctx context.Context) map[string]string

// Probes are the operational hooks behind /readyz, the JWKS document and
// cookie lifetimes. Every field is required.
type Probes struct {
	Ready  ReadyFunc
	JWKS   JWKSFunc
	Checks ChecksFunc
	// Clock tells the time for the refresh cookie's Max-Age.
	Clock outbound.Clock
}

// api is the state shared by the middleware and the handlers.
type api struct {
	opts      Options
	uc        UseCases
	probes    Probes
	log       *zap.Logger
	transport transport
	cookie    string
	origins   map[string]bool
	// limits is nil when rate limiting is disabled.
	limits *routeLimits
	// mailLimits is nil when the per-address mail limits are off.
	mailLimits *mailLimits
	// openapi is the document served at /openapi.json.
	openapi []byte
}

var releaseMode sync.Once

// NewHandler validates its inputs and builds the router. A nil logger logs
// nothing.
func NewHandler(opts Options, uc UseCases, probes Probes, log *zap.Logger) (http.Handler, error) {
	if log == nil {
		log = zap.NewNop()
	}
	if opts.BodyLimit <= 0 {
		opts.BodyLimit = DefaultBodyLimit
	}
	if opts.JWKSMaxAge <= 0 {
		opts.JWKSMaxAge = DefaultJWKSMaxAge
	}
	tr, err := parseTransport(opts.RefreshTransport)
	if err != nil {
		return nil, err
	}
	if opts.Env == "production" && !opts.CookieSecure {
		return nil, errors.New("httpapi: insecure refresh cookie refused in production")
	}
	origins, err := parseOrigins(opts.AllowedOrigins)
	if err != nil {
		return nil, err
	}
	if err := requireAll("use case", uc); err != nil {
		return nil, err
	}
	if err := requireAll("probe", probes); err != nil {
		return nil, err
	}
	limits, err := newRouteLimits(opts.RateLimits)
	if err != nil {
		return nil, err
	}
	mail, err := newMailLimits(opts.MailLimits)
	if err != nil {
		return nil, err
	}
	// The document is embedded beside the handlers it describes, and the
	// package's tests compare it with the route table; only its conversion
	// to JSON can fail, once, here rather than on the first request.
	doc, err := openapi.JSON()
	if err != nil {
		return nil, err
	}

	a := &api{
		opts: opts, uc: uc, probes: probes, log: log,
		transport: tr, cookie: cookieName(opts.CookieSecure), origins: origins, limits: limits,
		mailLimits: mail,
		openapi:    doc,
	}
	engine, err := a.newEngine()
	if err != nil {
		return nil, err
	}
	a.routes(engine)
	return engine, nil
}

// newEngine configures gin: no debug output, no redirects, 405 with Allow,
// and client IPs taken from X-Forwarded-For only when the peer is trusted.
func (a *api) newEngine() (*gin.Engine, error) {
	releaseMode.Do(func() { gin.SetMode(gin.ReleaseMode) })
	e := gin.New()
	// An API answers a wrong path with 404, not with a redirect that a
	// POST client may not follow.
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	// gin sets the Allow header itself before calling NoMethod.
	e.HandleMethodNotAllowed = true
	e.ForwardedByClientIP = true
	e.RemoteIPHeaders = []string{"X-Forwarded-For"}
	// Never trust a platform header (App Engine builds set one by default).
	e.TrustedPlatform = ""
	// gin trusts every proxy by default; an empty list must trust none.
	if err := e.SetTrustedProxies(append([]string{}, a.opts.TrustedProxies...)); err != nil {
		return nil, fmt.Errorf("httpapi: trusted proxies: %w", err)
	}
	return e, nil
}

// requireAll fails naming the first nil field of v, a struct of interfaces
// and funcs: a missing use case or probe is a wiring mistake, found at
// startup rather than on the first request that needs it.
func requireAll(kind string, v any) error {
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		if rv.Field(i).IsNil() {
			return fmt.Errorf("httpapi: %s %s is required", kind, rv.Type().Field(i).Name)
		}
	}
	return nil
}

// parseOrigins accepts only bare origins (scheme://host[:port]), since the
// browser compares the Origin header byte for byte.
func parseOrigins(list []string) (map[string]bool, error) {
	out := make(map[string]bool, len(list))
	for _, o := range list {
		if o == "*" {
			return nil, errors.New(`httpapi: allowed origin "*" cannot be combined with credentials`)
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("httpapi: allowed origin %q must be scheme://host[:port]", o)
		}
		out[o] = true
	}
	return out, nil
}
