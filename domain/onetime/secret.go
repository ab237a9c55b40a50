package onetime

import (
	"time"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
)

// MaxCodeFailures is how many wrong codes a secret survives: the one that
// reaches it kills the secret.
const MaxCodeFailures = 5

// Secret is one issued pair of a link token and a code. Both are kept as
// digests only, and share one life: using either spends the secret.
type Secret struct {
	id          ID
	userID      user.ID
	purpose     Purpose
	email       user.Email
	tokenDigest Digest
	codeDigest  Digest
	createdAt   time.Time
	expiresAt   time.Time
	failures    int
	endedAt     *time.Time
	endReason   EndReason
}

// Issued is a new secret with its token and code, which exist in the clear
// only here, on their way into a mail.
type Issued struct {
	Secret *Secret
	Token  Token
	Code   Code
}

// Issue makes a secret for the user and purpose, mailed to email (the
// account's address, or the new address of an email change), usable for
// ttl from now.
func Issue(h Hasher, id ID, userID user.ID, purpose Purpose, email user.Email, now time.Time, ttl time.Duration) (Issued, error) {
	if id.IsZero() || userID.IsZero() || email.IsZero() {
		return Issued{}, validation.Invalid("secret", "id, user and email are required")
	}
	if _, err := ParsePurpose(string(purpose)); err != nil {
		return Issued{}, err
	}
	if ttl <= 0 {
		return Issued{}, validation.Invalid("secret", "lifetime must be positive")
	}
	token, err := NewToken()
	if err != nil {
		return Issued{}, err
	}
	code, err := NewCode()
	if err != nil {
		return Issued{}, err
	}
	now = now.UTC()
	s := &Secret{
		id: id, userID: userID, purpose: purpose, email: email,
		tokenDigest: h.Token(token), codeDigest: h.Code(id, code),
		createdAt: now, expiresAt: now.Add(ttl),
	}
	return Issued{Secret: s, Token: token, Code: code}, nil
}

func (s *Secret) ID() ID               { return s.id }
func (s *Secret) UserID() user.ID      { return s.userID }
func (s *Secret) Purpose() Purpose     { return s.purpose }
func (s *Secret) Email() user.Email    { return s.email }
func (s *Secret) TokenDigest() Digest  { return s.tokenDigest }
func (s *Secret) CreatedAt() time.Time { return s.createdAt }
func (s *Secret) ExpiresAt() time.Time { return s.expiresAt }
func (s *Secret) Failures() int        { return s.failures }
func (s *Secret) EndedAt() *time.Time  { return s.endedAt }
func (s *Secret) EndReason() EndReason { return s.endReason }

// Pending reports whether the secret has not ended (it may have expired).
func (s *Secret) Pending() bool { return s.endedAt == nil }

// Usable fails with ErrInvalid unless the secret is pending and unexpired
// at now.
func (s *Secret) Usable(now time.Time) error {
	if s.endedAt != nil || !now.Before(s.expiresAt) {
		return ErrInvalid
	}
	return nil
}

// UseToken spends the secret with its token: the token's digest must be
// this secret's (repositories find secrets by it; the comparison is done
// again here, in constant time) and the secret usable for purpose.
func (s *Secret) UseToken(h Hasher, t Token, purpose Purpose, now time.Time) error {
	if t.IsZero() || !h.Token(t).Equal(s.tokenDigest) || s.purpose != purpose {
		return ErrInvalid
	}
	if err := s.Usable(now); err != nil {
		return err
	}
	s.end(now, Used)
	return nil
}

// CheckCode tests a code without spending the secret. A wrong code counts
// as a failure, and the MaxCodeFailures-th kills the secret: the caller
// must save the secret even though CheckCode fails. A code for a purpose
// that takes none, or for another purpose, fails without counting.
func (s *Secret) CheckCode(h Hasher, c Code, purpose Purpose, now time.Time) error {
	if s.purpose != purpose || !purpose.AcceptsCode() {
		return ErrInvalid
	}
	if err := s.Usable(now); err != nil {
		return err
	}
	if c.IsZero() || !h.Code(s.id, c).Equal(s.codeDigest) {
		s.failures++
		if s.failures >= MaxCodeFailures {
			s.end(now, TooManyFailures)
		}
		return ErrInvalid
	}
	return nil
}

// UseCode spends the secret with its code (see CheckCode).
func (s *Secret) UseCode(h Hasher, c Code, purpose Purpose, now time.Time) error {
	if err := s.CheckCode(h, c, purpose, now); err != nil {
		return err
	}
	s.end(now, Used)
	return nil
}

// SupersededBy reports whether newer kills s: another secret of the same
// user and purpose, issued while s was pending.
func (s *Secret) SupersededBy(newer *Secret) bool {
	return s.endedAt == nil && s.id != newer.id && s.userID == newer.userID && s.purpose == newer.purpose
}

// Supersede ends a pending secret because a newer one was issued, and
// reports whether it was pending.
func (s *Secret) Supersede(now time.Time) bool {
	if s.endedAt != nil {
		return false
	}
	s.end(now, Superseded)
	return true
}

// Finished reports whether storage may forget the secret at now: it has
// ended or expired, so no request can use it any more.
func (s *Secret) Finished(now time.Time) bool { return s.endedAt != nil || !now.Before(s.expiresAt) }

func (s *Secret) end(now time.Time, reason EndReason) {
	t := now.UTC()
	s.endedAt = &t
	s.endReason = reason
}
