package httpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// Errors raised by the adapter itself; they go through the same table as
// the use cases' errors.
var (
	errUnsupportedMediaType = errors.New("unsupported media type")
	errPayloadTooLarge      = errors.New("payload too large")
	errRouteNotFound        = errors.New("route not found")
	errMethodNotAllowed     = errors.New("method not allowed")
	errOriginNotAllowed     = errors.New("origin not allowed")
	errRateLimited          = errors.New("rate limited")
)

// invalidJSONError says why a body was refused as JSON, in words the adapter
// wrote itself (never the decoder's message).
type invalidJSONError struct{ reason string }

func (e *invalidJSONError) Error() string { return "invalid json: " + e.reason }

// errorMapping turns errors of one meaning into a status and a stable code.
type errorMapping struct {
	match  func(error) bool
	status int
	code   string
	detail string
}

// is matches any of targets with errors.Is.
func is(targets ...error) func(error) bool {
	return func(err error) bool {
		for _, t := range targets {
			if errors.Is(err, t) {
				return true
			}
		}
		return false
	}
}

func as[T error](err error) bool {
	_, ok := errors.AsType[T](err)
	return ok
}

// errorTable is the one place where errors become HTTP answers: each code
// appears once, with every error of that meaning. Each error has one owner
// (the domain, inbound, or the outbound port that describes a dependency or
// a presented credential), so one row per code is enough. The table is
// ordered; the first match wins.
var errorTable = []errorMapping{
	{as[*validation.Error], http.StatusBadRequest, "validation_failed", "the request has invalid fields"},
	{as[*invalidJSONError], http.StatusBadRequest, "invalid_json", "the request body is not acceptable JSON"},
	{is(errUnsupportedMediaType), http.StatusUnsupportedMediaType, "unsupported_media_type", "request bodies must be sent as application/json"},
	{is(errPayloadTooLarge), http.StatusRequestEntityTooLarge, "payload_too_large", "the request body exceeds the size limit"},

	{is(inbound.ErrUnauthenticated), http.StatusUnauthorized, "unauthorized", "a bearer access token is required"},
	{is(outbound.ErrTokenExpired), http.StatusUnauthorized, "token_expired", "the access token has expired"},
	{is(outbound.ErrTokenInvalid), http.StatusUnauthorized, "token_invalid", "the access token is not valid"},
	{is(inbound.ErrInvalidCredentials), http.StatusUnauthorized, "invalid_credentials", "the credentials are not valid"},
	{is(outbound.ErrRefreshTokenInvalid), http.StatusUnauthorized, "refresh_token_invalid", "the refresh token is not valid"},
	{is(session.ErrRefreshTokenReused), http.StatusUnauthorized, "refresh_token_reused", "the refresh token was already used; the session has been revoked"},
	{is(session.ErrEnded), http.StatusUnauthorized, "session_revoked", "the session has ended"},
	{is(user.ErrDisabled), http.StatusUnauthorized, "user_disabled", "the account is disabled"},

	{is(inbound.ErrForbidden), http.StatusForbidden, "forbidden", "this action is not allowed"},
	{is(errOriginNotAllowed), http.StatusForbidden, "origin_not_allowed", "requests from this origin are not allowed"},
	{is(user.ErrEmailTaken), http.StatusConflict, "email_taken", "an account with this email already exists"},
	{is(inbound.ErrCannotModifySelf), http.StatusConflict, "cannot_modify_self", "administrators cannot demote, disable or delete their own account"},
	{is(user.ErrNotFound, session.ErrNotFound, errRouteNotFound, inbound.ErrUnknownProvider, identity.ErrNotFound), http.StatusNotFound, "not_found", "no such resource"},
	{is(errMethodNotAllowed), http.StatusMethodNotAllowed, "method_not_allowed", "the method is not allowed on this resource"},
	{is(errRateLimited), http.StatusTooManyRequests, "rate_limited", "too many requests from this address; retry later"},
	{is(inbound.ErrTooManyAttempts), http.StatusTooManyRequests, "too_many_attempts", "too many failed attempts for this account; retry later"},
	{is(outbound.ErrOverloaded), http.StatusServiceUnavailable, "overloaded", "the service is busy; retry shortly"},
	{is(outbound.ErrUnavailable), http.StatusServiceUnavailable, "unavailable", "a service authd depends on is unreachable; retry shortly"},
	{is(identity.ErrRedirectNotAllowed), http.StatusBadRequest, "redirect_not_allowed", "the redirect is not one of the allowed front-end URLs"},
	{is(inbound.ErrStateInvalid), http.StatusBadRequest, "state_invalid", "the sign-in state is unknown, already used or expired"},
	{is(identity.ErrLastSignInMethod), http.StatusConflict, "last_sign_in_method", "the account's last way to sign in cannot be removed"},
	{is(inbound.ErrEmailNotVerified), http.StatusForbidden, "email_not_verified", "the email address must be verified before signing in"},
	{is(onetime.ErrInvalid), http.StatusBadRequest, "verification_invalid", "the link or code is not valid (unknown, used, expired or superseded)"},
	{is(outbound.ErrMailDisabled), http.StatusServiceUnavailable, "mail_disabled", "this server is not configured to send mail"},
}

// lookupError finds the mapping for err, or false for an unknown error.
func lookupError(err error) (errorMapping, bool) {
	for _, m := range errorTable {
		if m.match(err) {
			return m, true
		}
	}
	return errorMapping{}, false
}

// fail answers err as a problem. Unknown errors become 500 internal with the
// request id in the detail, and are logged here, once, with their cause;
// the cause never reaches the client.
func (a *api) fail(c *gin.Context, err error) {
	m, known := lookupError(err)
	if !known {
		id := requestIDFrom(c.Request.Context())
		a.log.Error("request failed",
			zap.String("request_id", id),
			zap.String("method", c.Request.Method),
			zap.String("route", c.FullPath()),
			zap.Error(err))
		writeProblem(c, newProblem(http.StatusInternalServerError, "internal",
			"an internal error occurred; quote request id "+id+" when reporting it"))
		return
	}

	p := newProblem(m.status, m.code, m.detail)
	if ve, ok := errors.AsType[*validation.Error](err); ok {
		for _, f := range ve.Fields {
			p.Errors = append(p.Errors, fieldProblem{Field: f.Field, Message: f.Message})
		}
	}
	if je, ok := errors.AsType[*invalidJSONError](err); ok {
		p.Detail = "the request body is not acceptable JSON: " + je.reason
	}

	// A use case (or the rate limiter) that knows when to come back says so
	// through RetryAfterError; a bare overload still asks for a short pause.
	if ra, ok := errors.AsType[*inbound.RetryAfterError](err); ok {
		c.Header("Retry-After", retryAfter(ra.RetryAfter))
	} else if m.status == http.StatusServiceUnavailable && m.code != "mail_disabled" {
		c.Header("Retry-After", "1")
	}
	// RFC 9110 requires a challenge on every 401; the bearer middleware may
	// already have set a more precise one.
	if m.status == http.StatusUnauthorized && c.Writer.Header().Get("WWW-Authenticate") == "" {
		c.Header("WWW-Authenticate", "Bearer")
	}
	writeProblem(c, p)
}
