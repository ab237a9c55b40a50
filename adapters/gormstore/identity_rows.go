package gormstore

import (
	"fmt"
	"time"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/user"
)

// identityRow is the identities table as GORM sees it.
type identityRow struct {
	ID        string    `gorm:"column:id;primaryKey"`
	UserID    string    `gorm:"column:user_id"`
	Provider  string    `gorm:"column:provider"`
	Subject   string    `gorm:"column:subject"`
	Email     string    `gorm:"column:email"`
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

// TableName tells GORM the table name.
func (identityRow) TableName() string { return "identities" }

func identityToRow(i *identity.Identity) identityRow {
	s := i.Snapshot()
	return identityRow{
		ID: s.ID.String(), UserID: s.UserID.String(), Provider: s.Provider, Subject: s.Subject,
		Email: s.Email, CreatedAt: dbTime(s.CreatedAt),
	}
}

func (r identityRow) toDomain() (*identity.Identity, error) {
	id, err := identity.ParseID(r.ID)
	if err != nil {
		return nil, fmt.Errorf("gormstore: stored identity has a malformed id: %w", err)
	}
	userID, err := user.ParseID(r.UserID)
	if err != nil {
		return nil, fmt.Errorf("gormstore: stored identity %s has a malformed user id: %w", r.ID, err)
	}
	i, err := identity.Rehydrate(identity.Snapshot{
		ID: id, UserID: userID, Provider: r.Provider, Subject: r.Subject, Email: r.Email, CreatedAt: r.CreatedAt,
	})
	if err != nil {
		return nil, fmt.Errorf("gormstore: stored identity %s is invalid: %w", r.ID, err)
	}
	return i, nil
}

// flowStateRow is the oidc_flow_states table as GORM sees it.
type flowStateRow struct {
	StateHash   string    `gorm:"column:state_hash;primaryKey"`
	BindingHash string    `gorm:"column:binding_hash"`
	Provider    string    `gorm:"column:provider"`
	Nonce       string    `gorm:"column:nonce"`
	Verifier    string    `gorm:"column:verifier"`
	RedirectTo  string    `gorm:"column:redirect_to"`
	LinkUserID  *string   `gorm:"column:link_user_id"` // NULL for a sign-in
	CreatedAt   time.Time `gorm:"column:created_at;autoCreateTime:false"`
	ExpiresAt   time.Time `gorm:"column:expires_at"`
}

// TableName tells GORM the table name.
func (flowStateRow) TableName() string { return "oidc_flow_states" }

func flowToRow(f *identity.FlowState) flowStateRow {
	s := f.Snapshot()
	var link *string
	if !s.LinkUser.IsZero() {
		id := s.LinkUser.String()
		link = &id
	}
	return flowStateRow{
		StateHash: string(s.StateHash), BindingHash: string(s.BindingHash), Provider: s.Provider,
		Nonce: s.Nonce, Verifier: s.Verifier, RedirectTo: s.RedirectTo, LinkUserID: link,
		CreatedAt: dbTime(s.CreatedAt), ExpiresAt: dbTime(s.ExpiresAt),
	}
}

func (r flowStateRow) toDomain() (*identity.FlowState, error) {
	var link user.ID
	if r.LinkUserID != nil {
		id, err := user.ParseID(*r.LinkUserID)
		if err != nil {
			return nil, fmt.Errorf("gormstore: stored flow state has a malformed user id: %w", err)
		}
		link = id
	}
	f, err := identity.RehydrateFlow(identity.FlowSnapshot{
		StateHash: identity.SecretHash(r.StateHash), BindingHash: identity.SecretHash(r.BindingHash),
		Provider: r.Provider, Nonce: r.Nonce, Verifier: r.Verifier, RedirectTo: r.RedirectTo,
		LinkUser: link, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt,
	})
	if err != nil {
		return nil, fmt.Errorf("gormstore: stored flow state is invalid: %w", err)
	}
	return f, nil
}

// loginCodeRow is the oidc_login_codes table as GORM sees it.
type loginCodeRow struct {
	CodeHash  string    `gorm:"column:code_hash;primaryKey"`
	UserID    string    `gorm:"column:user_id"`
	Provider  string    `gorm:"column:provider"`
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
	ExpiresAt time.Time `gorm:"column:expires_at"`
}

// TableName tells GORM the table name.
func (loginCodeRow) TableName() string { return "oidc_login_codes" }

func (r loginCodeRow) toDomain() (identity.LoginCode, error) {
	id, err := user.ParseID(r.UserID)
	if err != nil {
		return identity.LoginCode{}, fmt.Errorf("gormstore: stored login code has a malformed user id: %w", err)
	}
	return identity.LoginCode{
		Hash: identity.SecretHash(r.CodeHash), UserID: id, Provider: r.Provider,
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(),
	}, nil
}
