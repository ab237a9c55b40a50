package httpapi

import "github.com/gin-gonic/gin"

// routes registers every endpoint. Middleware is layered by group so that
// per-group concerns have one obvious place:
//
//	first       Options.Middleware (tracing), around everything below
//	engine      request id, security headers, no-store, access log, recovery,
//	            CORS, rate limit (the quota depends on the matched route, and
//	            it must run before any group middleware can refuse a request,
//	            so that refusals are counted and carry the RateLimit fields)
//	ops         /healthz, /readyz (never rate limited), /.well-known/jwks.json
//	credentials signup, login, refresh, logout, the login-code exchange:
//	            refresh-cookie Origin check
//	account     everything behind a bearer access token
//	admin       behind a bearer access token whose user is an administrator
func (a *api) routes(e *gin.Engine) {
	e.Use(a.opts.Middleware...)
	e.Use(
		a.requestID,
		a.securityHeaders,
		a.noStore,
		a.accessLog,
		a.recoverPanics,
		a.cors,
		a.rateLimit,
	)
	e.NoRoute(a.notFound)
	e.NoMethod(a.methodNotAllowed)

	ops := e.Group("")
	ops.GET("/healthz", a.healthz)
	ops.GET("/readyz", a.readyz)
	// Load balancers often probe with HEAD; net/http drops the body.
	ops.HEAD("/healthz", a.healthz)
	ops.HEAD("/readyz", a.readyz)
	ops.GET("/.well-known/jwks.json", a.jwks)
	// The API's own description: the OpenAPI document and a page rendering
	// it (the only responses with a relaxed Content-Security-Policy).
	ops.GET("/openapi.json", a.openAPIDocument)
	ops.GET("/docs", a.docsPage)
	ops.GET("/docs/assets/:name", a.docsAsset)

	auth := e.Group("/v1/auth")

	credentials := auth.Group("", a.originGuard)
	credentials.POST("/signup", a.signup)
	credentials.POST("/login", a.login)
	credentials.POST("/refresh", a.refresh)
	credentials.POST("/logout", a.logout)
	credentials.POST("/oidc/exchange", a.oidcExchange)

	// Browser navigations: to the provider and back. The flow cookie, not
	// the Origin, is their defence.
	auth.GET("/oidc/:provider/authorize", a.oidcAuthorize)
	auth.GET("/oidc/:provider/callback", a.oidcCallback)

	// The account lifecycle by email: tokens and codes travel in bodies,
	// never in cookies, so no origin guard is needed.
	auth.POST("/verify-email/send", a.sendVerification)
	auth.POST("/verify-email", a.verifyEmail)
	auth.POST("/password/forgot", a.forgotPassword)
	auth.POST("/password/reset", a.resetPassword)
	auth.POST("/email/confirm", a.confirmEmailChange)

	account := auth.Group("", a.requireBearer)
	account.GET("/me", a.withPrincipal(a.me))
	account.POST("/logout-all", a.withPrincipal(a.logoutAll))
	account.POST("/password", a.withPrincipal(a.changePassword))
	account.GET("/sessions", a.withPrincipal(a.listSessions))
	account.DELETE("/sessions", a.withPrincipal(a.revokeOtherSessions))
	account.DELETE("/sessions/:id", a.withPrincipal(a.revokeSession))
	account.POST("/oidc/:provider/link", a.withPrincipal(a.oidcLink))
	account.GET("/identities", a.withPrincipal(a.listIdentities))
	account.DELETE("/identities/:id", a.withPrincipal(a.unlinkIdentity))
	account.POST("/email", a.withPrincipal(a.requestEmailChange))
	account.PATCH("/me", a.withPrincipal(a.updateProfile))

	// The admin use cases check the role again: defence in depth.
	admin := e.Group("/v1/admin", a.requireBearer, a.requireAdmin)
	admin.GET("/users", a.withPrincipal(a.adminListUsers))
	admin.GET("/users/:id", a.withPrincipal(a.adminGetUser))
	admin.PATCH("/users/:id", a.withPrincipal(a.adminUpdateUser))
	admin.DELETE("/users/:id", a.withPrincipal(a.adminDeleteUser))
	admin.GET("/users/:id/sessions", a.withPrincipal(a.adminListUserSessions))
	admin.DELETE("/users/:id/sessions", a.withPrincipal(a.adminRevokeUserSessions))
	admin.GET("/audit", a.withPrincipal(a.adminListAudit))
}

// notFound answers paths no route matches.
func (a *api) notFound(c *gin.Context) { a.fail(c, errRouteNotFound) }

// methodNotAllowed answers a known path with the wrong method; gin has
// already set the Allow header.
func (a *api) methodNotAllowed(c *gin.Context) { a.fail(c, errMethodNotAllowed) }
