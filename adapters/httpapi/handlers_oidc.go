package httpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/ports/inbound"
)

// errSignInUnavailable means a sign-in use case answered without a
// destination: a wiring mistake, so a 500.
var errSignInUnavailable = errors.New("httpapi: sign-in answered no URL")

// oidcAuthorize: GET /v1/auth/oidc/{provider}/authorize?redirect_to= -> 302
// to the provider, with the flow cookie. A redirect_to that is missing,
// repeated or not allowed is 400 redirect_not_allowed.
func (a *api) oidcAuthorize(c *gin.Context) {
	redirectTo, ok := singleQuery(c, "redirect_to")
	if !ok {
		a.fail(c, identity.ErrRedirectNotAllowed)
		return
	}
	start, err := a.uc.StartSignIn.Handle(c.Request.Context(), inbound.StartSignInCommand{
		Provider: c.Param("provider"), RedirectTo: redirectTo, Client: clientOf(c),
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	a.redirectToFlow(c, start)
}

// redirectToFlow sets the flow cookie of a started flow and sends the
// browser on.
func (a *api) redirectToFlow(c *gin.Context, start inbound.FlowStart) {
	if start.URL == "" {
		a.fail(c, errSignInUnavailable)
		return
	}
	if start.Binding != "" {
		a.setFlowCookie(c, start.Binding)
	}
	found(c, start.URL)
}

// oidcCallback: GET /v1/auth/oidc/{provider}/callback -> 302 to the flow's
// front-end URL, with #code=, #linked= or #error=; 400 state_invalid when
// the state has no trusted destination. The flow cookie is spent either way.
func (a *api) oidcCallback(c *gin.Context) {
	a.clearFlowCookie(c)
	state, ok := singleQuery(c, "state")
	if !ok {
		a.fail(c, inbound.ErrStateInvalid)
		return
	}
	// A missing or repeated code or error reads as empty: the use case
	// takes a callback without a code for the provider's failure, after
	// spending the state.
	code, _ := singleQuery(c, "code")
	providerError, _ := singleQuery(c, "error")
	res, err := a.uc.CompleteSignIn.Handle(c.Request.Context(), inbound.CompleteSignInCommand{
		Provider: c.Param("provider"), State: state, Code: code, ProviderError: providerError,
		Binding: a.flowCookie(c), Client: clientOf(c),
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	if res.RedirectURL == "" {
		a.fail(c, errSignInUnavailable)
		return
	}
	found(c, res.RedirectURL)
}

// oidcExchange: POST /v1/auth/oidc/exchange {code} -> 200 token response,
// the refresh token going where the transport says.
func (a *api) oidcExchange(c *gin.Context) {
	var req exchangeRequest
	if err := a.decode(c, &req, bodyRequired); err != nil {
		a.fail(c, err)
		return
	}
	if err := required(field("code", req.Code)); err != nil {
		a.fail(c, err)
		return
	}
	pair, err := a.uc.ExchangeLoginCode.Handle(c.Request.Context(), inbound.ExchangeLoginCodeCommand{Code: *req.Code, Client: clientOf(c)})
	if err != nil {
		a.fail(c, err)
		return
	}
	a.respondTokens(c, http.StatusOK, pair)
}

// oidcLink: POST /v1/auth/oidc/{provider}/link {redirectTo} -> 200
// {"authorizeUrl"}, with the flow cookie: the front end sends the browser
// there, and the callback links the identity to the caller.
func (a *api) oidcLink(c *gin.Context, p inbound.Principal) error {
	var req linkRequest
	if err := a.decode(c, &req, bodyRequired); err != nil {
		return err
	}
	if err := required(field("redirectTo", req.RedirectTo)); err != nil {
		return err
	}
	start, err := a.uc.StartLink.Handle(c.Request.Context(), inbound.StartLinkCommand{
		Principal: p, Provider: c.Param("provider"), RedirectTo: *req.RedirectTo,
	})
	if err != nil {
		return err
	}
	if start.URL == "" {
		return errSignInUnavailable
	}
	if start.Binding != "" {
		a.setFlowCookie(c, start.Binding)
	}
	c.JSON(http.StatusOK, linkResponse{AuthorizeURL: start.URL})
	return nil
}

// listIdentities: GET /v1/auth/identities -> {"identities": [Identity]}.
func (a *api) listIdentities(c *gin.Context, p inbound.Principal) error {
	list, err := a.uc.ListIdentities.Handle(c.Request.Context(), inbound.ListIdentitiesQuery{Principal: p})
	if err != nil {
		return err
	}
	out := make([]identityDTO, 0, len(list))
	for _, i := range list {
		out = append(out, toIdentityDTO(i))
	}
	c.JSON(http.StatusOK, identitiesEnvelope{Identities: out})
	return nil
}

// unlinkIdentity: DELETE /v1/auth/identities/{id} -> 204. An id that is not
// a UUID cannot name an identity: 404.
func (a *api) unlinkIdentity(c *gin.Context, p inbound.Principal) error {
	id, err := identity.ParseID(c.Param("id"))
	if err != nil {
		return identity.ErrNotFound
	}
	if err := a.uc.UnlinkIdentity.Handle(c.Request.Context(), inbound.UnlinkIdentityCommand{Principal: p, IdentityID: id}); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// singleQuery returns a query parameter that appears exactly once.
func singleQuery(c *gin.Context, name string) (string, bool) {
	values := c.Request.URL.Query()[name]
	if len(values) != 1 {
		return "", false
	}
	return values[0], true
}

// found answers 302 with Location and no body: the body net/http would
// write repeats the URL, and this one may carry a login code.
func found(c *gin.Context, location string) {
	c.Header("Location", location)
	c.Status(http.StatusFound)
}
