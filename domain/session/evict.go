package session

import (
	"cmp"
	"slices"

	"github.com/authd/authd/domain/ident"
)

// BeyondCap returns the sessions to revoke so that at most keep of the
// user's active sessions remain: the least recently used ones (ties broken
// by the older login, then the smaller id, so every store picks the same).
// It does not change active.
func BeyondCap(active []*Session, keep int) []*Session {
	keep = max(keep, 0)
	if len(active) <= keep {
		return nil
	}
	sorted := slices.Clone(active)
	slices.SortFunc(sorted, func(a, b *Session) int {
		return cmp.Or(
			b.lastUsedAt.Compare(a.lastUsedAt),
			b.createdAt.Compare(a.createdAt),
			ident.UUID(b.id).Compare(ident.UUID(a.id)),
		)
	})
	return sorted[keep:]
}
