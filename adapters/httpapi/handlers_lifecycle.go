package httpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

// sendVerification: POST /v1/auth/verify-email/send -> 202, whatever the
// address.
func (a *api) sendVerification(c *gin.Context) {
	a.requestMail(c, string(onetime.VerifyEmail), func(email string) error {
		return a.uc.SendVerification.Handle(c.Request.Context(), inbound.SendVerificationCommand{Email: email, Client: clientOf(c)})
	})
}

// forgotPassword: POST /v1/auth/password/forgot -> 202, whatever the
// address.
func (a *api) forgotPassword(c *gin.Context) {
	a.requestMail(c, string(onetime.ResetPassword), func(email string) error {
		return a.uc.ForgotPassword.Handle(c.Request.Context(), inbound.ForgotPasswordCommand{Email: email, Client: clientOf(c)})
	})
}

// requestMail decodes {email}, spends the address's mail budget for the
// purpose and runs send; the answer is 202 with no body.
func (a *api) requestMail(c *gin.Context, purpose string, send func(email string) error) {
	var req emailRequest
	if err := a.decode(c, &req, bodyRequired); err != nil {
		a.fail(c, err)
		return
	}
	if err := required(field("email", req.Email)); err != nil {
		a.fail(c, err)
		return
	}
	if err := a.limitAddress(c, purpose, req.Email); err != nil {
		a.fail(c, err)
		return
	}
	if err := send(*req.Email); err != nil {
		a.fail(c, err)
		return
	}
	c.Status(http.StatusAccepted)
}

// verifyEmail: POST /v1/auth/verify-email {token} or {email, code} ->
// 200 {"user": User}.
func (a *api) verifyEmail(c *gin.Context) {
	var req verifyEmailRequest
	if err := a.decode(c, &req, bodyRequired); err != nil {
		a.fail(c, err)
		return
	}
	u, err := a.uc.VerifyEmail.Handle(c.Request.Context(), inbound.VerifyEmailCommand{
		Proof:  inbound.SecretProof{Token: text(req.Token), Email: text(req.Email), Code: text(req.Code)},
		Client: clientOf(c),
	})
	a.respondUser(c, u, err)
}

// resetPassword: POST /v1/auth/password/reset {token, newPassword} or
// {email, code, newPassword} -> 204.
func (a *api) resetPassword(c *gin.Context) {
	var req resetPasswordRequest
	if err := a.decode(c, &req, bodyRequired); err != nil {
		a.fail(c, err)
		return
	}
	err := a.uc.ResetPassword.Handle(c.Request.Context(), inbound.ResetPasswordCommand{
		Proof:       inbound.SecretProof{Token: text(req.Token), Email: text(req.Email), Code: text(req.Code)},
		NewPassword: text(req.NewPassword),
		Client:      clientOf(c),
	})
	if err != nil {
		a.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// confirmEmailChange: POST /v1/auth/email/confirm {token} -> 200
// {"user": User}.
func (a *api) confirmEmailChange(c *gin.Context) {
	var req tokenRequest
	if err := a.decode(c, &req, bodyRequired); err != nil {
		a.fail(c, err)
		return
	}
	if err := required(field("token", req.Token)); err != nil {
		a.fail(c, err)
		return
	}
	u, err := a.uc.ConfirmEmailChange.Handle(c.Request.Context(), inbound.ConfirmEmailChangeCommand{Token: *req.Token, Client: clientOf(c)})
	a.respondUser(c, u, err)
}

// requestEmailChange: POST /v1/auth/email {newEmail, currentPassword} ->
// 202. The new address's budget is spent before the password is checked.
func (a *api) requestEmailChange(c *gin.Context, p inbound.Principal) error {
	var req emailChangeRequest
	if err := a.decode(c, &req, bodyRequired); err != nil {
		return err
	}
	if err := required(field("newEmail", req.NewEmail), field("currentPassword", req.CurrentPassword)); err != nil {
		return err
	}
	if err := a.limitAddress(c, string(onetime.ChangeEmail), req.NewEmail); err != nil {
		return err
	}
	err := a.uc.RequestEmailChange.Handle(c.Request.Context(), inbound.RequestEmailChangeCommand{
		Principal: p, NewEmail: *req.NewEmail, CurrentPassword: *req.CurrentPassword,
	})
	if err != nil {
		return err
	}
	c.Status(http.StatusAccepted)
	return nil
}

// updateProfile: PATCH /v1/auth/me {fullName} -> 200 {"user": User}.
func (a *api) updateProfile(c *gin.Context, p inbound.Principal) error {
	var req profileRequest
	if err := a.decode(c, &req, bodyRequired); err != nil {
		return err
	}
	if err := required(field("fullName", req.FullName)); err != nil {
		return err
	}
	u, err := a.uc.UpdateProfile.Handle(c.Request.Context(), inbound.UpdateProfileCommand{Principal: p, FullName: *req.FullName})
	if err != nil {
		return err
	}
	return a.writeUser(c, u)
}

// respondUser answers 200 {"user": User}, or the error.
func (a *api) respondUser(c *gin.Context, u *user.User, err error) {
	if err == nil {
		err = a.writeUser(c, u)
	}
	if err != nil {
		a.fail(c, err)
	}
}

func (a *api) writeUser(c *gin.Context, u *user.User) error {
	if u == nil {
		return errors.New("httpapi: a use case returned no user")
	}
	c.JSON(http.StatusOK, userEnvelope{User: toUserDTO(u)})
	return nil
}
