package identity

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"time"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
)

// Lifetimes of the records of a sign-in in progress (the contract's).
const (
	// StateLifetime is how long a started flow waits for its callback.
	StateLifetime = 10 * time.Minute
	// LoginCodeLifetime is how long the one-time login code of a finished
	// flow can be exchanged for tokens.
	LoginCodeLifetime = 60 * time.Second
)

// SecretHash is the SHA-256 of a high-entropy secret (a state, a flow
// cookie, a login code), in hex: what storage keeps instead of the secret,
// so that a database dump yields nothing usable. A fast hash suffices for
// secrets of 256 random bits.
type SecretHash string

// HashSecret returns the hash of a secret.
func HashSecret(secret string) SecretHash {
	sum := sha256.Sum256([]byte(secret))
	return SecretHash(hex.EncodeToString(sum[:]))
}

// matches compares in constant time.
func (h SecretHash) matches(secret string) bool {
	return subtle.ConstantTimeCompare([]byte(h), []byte(HashSecret(secret))) == 1
}

// FlowState is a started sign-in (or link) flow, kept server-side until
// the provider sends the browser back: it is found by the hash of the
// state parameter, used once, and trusted only from the browser holding
// the flow cookie (the binding) that started it.
type FlowState struct {
	stateHash   SecretHash
	bindingHash SecretHash
	provider    string
	nonce       string
	verifier    string
	redirectTo  string
	linkUser    user.ID
	createdAt   time.Time
	expiresAt   time.Time
}

// FlowStart is what a new flow remembers. State and Binding are the
// secrets themselves; only their hashes are kept. LinkUser is zero for a
// sign-in and the caller for a link flow.
type FlowStart struct {
	State, Binding  string
	Provider        string
	Nonce, Verifier string
	RedirectTo      string
	LinkUser        user.ID
}

// StartFlow records a new flow that lasts StateLifetime from now.
func StartFlow(f FlowStart, now time.Time) (*FlowState, error) {
	if f.State == "" || f.Binding == "" || f.Nonce == "" || f.Verifier == "" || f.RedirectTo == "" || !ValidProviderName(f.Provider) {
		return nil, validation.Invalid("state", "a flow needs its secrets, provider and destination")
	}
	now = now.UTC()
	return &FlowState{
		stateHash: HashSecret(f.State), bindingHash: HashSecret(f.Binding), provider: f.Provider,
		nonce: f.Nonce, verifier: f.Verifier, redirectTo: f.RedirectTo, linkUser: f.LinkUser,
		createdAt: now, expiresAt: now.Add(StateLifetime),
	}, nil
}

// FlowSnapshot is the flat form of a FlowState for storage adapters.
type FlowSnapshot struct {
	StateHash   SecretHash
	BindingHash SecretHash
	Provider    string
	Nonce       string
	Verifier    string
	RedirectTo  string
	LinkUser    user.ID
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// RehydrateFlow rebuilds a flow state loaded from storage.
func RehydrateFlow(s FlowSnapshot) (*FlowState, error) {
	if s.StateHash == "" || s.BindingHash == "" || s.Nonce == "" || s.Verifier == "" || s.RedirectTo == "" || !ValidProviderName(s.Provider) {
		return nil, validation.Invalid("state", "stored flow state is incomplete")
	}
	return &FlowState{
		stateHash: s.StateHash, bindingHash: s.BindingHash, provider: s.Provider, nonce: s.Nonce,
		verifier: s.Verifier, redirectTo: s.RedirectTo, linkUser: s.LinkUser,
		createdAt: s.CreatedAt.UTC(), expiresAt: s.ExpiresAt.UTC(),
	}, nil
}

// Snapshot returns the flat form of f.
func (f *FlowState) Snapshot() FlowSnapshot {
	return FlowSnapshot{
		StateHash: f.stateHash, BindingHash: f.bindingHash, Provider: f.provider, Nonce: f.nonce,
		Verifier: f.verifier, RedirectTo: f.redirectTo, LinkUser: f.linkUser,
		CreatedAt: f.createdAt, ExpiresAt: f.expiresAt,
	}
}

func (f *FlowState) Provider() string   { return f.provider }
func (f *FlowState) Nonce() string      { return f.nonce }
func (f *FlowState) Verifier() string   { return f.verifier }
func (f *FlowState) RedirectTo() string { return f.redirectTo }

// LinkUser returns the user a link flow links to, and false for a sign-in.
func (f *FlowState) LinkUser() (user.ID, bool) { return f.linkUser, !f.linkUser.IsZero() }

// Expired reports whether the flow's time is up at now.
func (f *FlowState) Expired(now time.Time) bool { return !now.Before(f.expiresAt) }

// BoundTo reports, in constant time, whether binding is the flow cookie
// that started the flow. An empty binding (no cookie) never matches.
func (f *FlowState) BoundTo(binding string) bool {
	return binding != "" && f.bindingHash.matches(binding)
}

// LoginCode is the one-time code a finished sign-in hands the front end
// (in the URL fragment) to exchange for tokens: found by its hash, used
// once, within LoginCodeLifetime.
type LoginCode struct {
	Hash      SecretHash
	UserID    user.ID
	Provider  string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// IssueLoginCode records the code for userID's sign-in through provider.
func IssueLoginCode(code string, userID user.ID, provider string, now time.Time) (LoginCode, error) {
	if code == "" || userID.IsZero() || !ValidProviderName(provider) {
		return LoginCode{}, validation.Invalid("code", "a login code needs its secret, user and provider")
	}
	now = now.UTC()
	return LoginCode{Hash: HashSecret(code), UserID: userID, Provider: provider, CreatedAt: now, ExpiresAt: now.Add(LoginCodeLifetime)}, nil
}

// Expired reports whether the code's time is up at now.
func (c LoginCode) Expired(now time.Time) bool { return !now.Before(c.ExpiresAt) }
