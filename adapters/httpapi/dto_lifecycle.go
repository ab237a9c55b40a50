package httpapi

// Request bodies of the account lifecycle by email. As elsewhere, pointers
// tell a missing member from an empty one; the use cases say which members
// a request needs (a token, or an email and a code).
type (
	emailRequest struct {
		Email *string `json:"email"`
	}
	verifyEmailRequest struct {
		Token *string `json:"token"`
		Email *string `json:"email"`
		Code  *string `json:"code"`
	}
	resetPasswordRequest struct {
		Token       *string `json:"token"`
		Email       *string `json:"email"`
		Code        *string `json:"code"`
		NewPassword *string `json:"newPassword"`
	}
	emailChangeRequest struct {
		NewEmail        *string `json:"newEmail"`
		CurrentPassword *string `json:"currentPassword"`
	}
	tokenRequest struct {
		Token *string `json:"token"`
	}
	profileRequest struct {
		FullName *string `json:"fullName"`
	}
)

// text is the value of an optional member, "" when it is missing.
func text(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
