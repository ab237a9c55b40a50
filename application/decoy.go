package application

import (
	"context"
	"crypto/rand"
	"sync"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// decoyHash is a hash of a random password, made once on first use, that
// login verifies against when the email is unknown so that the response
// takes as long as a wrong password would.
type decoyHash struct {
	mu   sync.Mutex
	hash *user.PasswordHash
}

func (d *decoyHash) verify(ctx context.Context, hasher outbound.PasswordHasher, attempt user.Password) error {
	h, err := d.get(ctx, hasher)
	if err != nil {
		return err
	}
	if _, _, err := hasher.Verify(ctx, attempt, h); err != nil {
		return hashFailed(err)
	}
	return nil
}

func (d *decoyHash) get(ctx context.Context, hasher outbound.PasswordHasher) (user.PasswordHash, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.hash != nil {
		return *d.hash, nil
	}
	p, err := user.PasswordAttempt(rand.Text())
	if err != nil {
		return user.PasswordHash{}, err
	}
	h, err := hasher.Hash(ctx, p)
	if err != nil {
		return user.PasswordHash{}, hashFailed(err)
	}
	d.hash = &h
	return h, nil
}
