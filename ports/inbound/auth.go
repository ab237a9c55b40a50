package inbound

import (
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// Client describes where a request came from, for session records and the
// audit trail.
type Client struct {
	IP        string
	UserAgent string
}

// TokenPair is what signup, login and refresh hand back.
type TokenPair struct {
	AccessToken      string
	AccessExpiresAt  time.Time
	ExpiresIn        time.Duration
	RefreshToken     string
	RefreshExpiresAt time.Time
	User             *user.User
	// Pending is true when signup opened no session because the address
	// must be verified first: the pair then holds only User.
	Pending bool
}

// Principal is the caller of an authenticated request, read from the
// current records (not from the token's claims).
type Principal struct {
	User      *user.User
	SessionID session.ID
	// Client is where the request came from, for the audit trail; the
	// driving adapter fills it in.
	Client Client
}

// SignupCommand registers an account. PasswordConfirm is optional; when set
// it must equal Password.
type SignupCommand struct {
	Email           string
	Password        string
	FullName        string
	PasswordConfirm *string
	Client          Client
}

// Signup creates a user with role user and opens its first session.
type Signup = Handler[SignupCommand, TokenPair]

// LoginCommand presents credentials.
type LoginCommand struct {
	Email    string
	Password string
	Client   Client
}

// Login checks credentials and opens a new session.
type Login = Handler[LoginCommand, TokenPair]

// RefreshCommand presents a refresh token.
type RefreshCommand struct {
	RefreshToken string
	Client       Client
}

// Refresh rotates a refresh token under the reuse-detection rules.
type Refresh = Handler[RefreshCommand, TokenPair]

// LogoutCommand presents the refresh token of the session to end.
type LogoutCommand struct {
	RefreshToken string
	Client       Client
}

// Logout ends the session a refresh token belongs to. An unknown, spent or
// empty token is not an error.
type Logout = CommandHandler[LogoutCommand]

// AuthenticateCommand presents a bearer access token.
type AuthenticateCommand struct {
	BearerToken string
}

// Authenticate turns a bearer access token into a Principal, refusing
// ended sessions and disabled or deleted users.
type Authenticate = Handler[AuthenticateCommand, Principal]
