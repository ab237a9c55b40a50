package inbound

import "github.com/authd/authd/domain/user"

// The account lifecycle by email: verifying an address, resetting a
// forgotten password, changing the address, and the profile. Every use
// case that mails fails with outbound.ErrMailDisabled when mail is off;
// every use of a one-time secret that fails, for whatever reason, fails
// with onetime.ErrInvalid.

// SecretProof is a one-time secret as a client presents it: the link's
// Token, or the Email the code was mailed to with its Code.
type SecretProof struct {
	Token string
	Email string
	Code  string
}

// SendVerificationCommand asks for a verification mail to Email.
type SendVerificationCommand struct {
	Email  string
	Client Client
}

// SendVerification mails a verification if the address has an account that
// is enabled and unverified, and says nothing either way.
type SendVerification = CommandHandler[SendVerificationCommand]

// VerifyEmailCommand presents a verification secret.
type VerifyEmailCommand struct {
	Proof  SecretProof
	Client Client
}

// VerifyEmail marks the account's address verified and returns the account.
type VerifyEmail = Handler[VerifyEmailCommand, *user.User]

// ForgotPasswordCommand asks for a password-reset mail to Email.
type ForgotPasswordCommand struct {
	Email  string
	Client Client
}

// ForgotPassword mails a reset if the address has an enabled account, and
// says nothing either way.
type ForgotPassword = CommandHandler[ForgotPasswordCommand]

// ResetPasswordCommand presents a reset secret and the new password.
type ResetPasswordCommand struct {
	Proof       SecretProof
	NewPassword string
	Client      Client
}

// ResetPassword sets the new password, ends every session of the account
// and marks its address verified, in one unit of work.
type ResetPassword = CommandHandler[ResetPasswordCommand]

// RequestEmailChangeCommand asks to move the caller's account to NewEmail.
type RequestEmailChangeCommand struct {
	Principal       Principal
	NewEmail        string
	CurrentPassword string
}

// RequestEmailChange checks the password, mails a confirmation to the new
// address and a notice to the current one.
type RequestEmailChange = CommandHandler[RequestEmailChangeCommand]

// ConfirmEmailChangeCommand presents the confirmation link's token.
type ConfirmEmailChangeCommand struct {
	Token  string
	Client Client
}

// ConfirmEmailChange moves the account to its new, verified address,
// notifies the old one, and returns the account.
type ConfirmEmailChange = Handler[ConfirmEmailChangeCommand, *user.User]

// UpdateProfileCommand changes what a user may change of their own
// account: the full name.
type UpdateProfileCommand struct {
	Principal Principal
	FullName  string
}

// UpdateProfile renames the caller and returns the account.
type UpdateProfile = Handler[UpdateProfileCommand, *user.User]

// DeliverMailCommand asks for one round of delivery from the outbox.
type DeliverMailCommand struct{}

// DeliverMail claims due messages, sends them and records each outcome;
// it answers how many it claimed (a background sender runs it).
type DeliverMail = Handler[DeliverMailCommand, int]
