package gormstore

import (
	"context"
	"strings"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// likeEscaper escapes LIKE's wildcards so that a prefix matches literally.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// List pages through users in id order (UUIDv7: creation order), served by
// the primary key; the email prefix uses the unique email index on PostgreSQL
// when the collation allows and filters otherwise.
//
// The prefix comes normalised like stored emails (user.NormalizeEmailPrefix),
// so matching ignores case on every dialect alike (SQLite's LIKE ignores
// ASCII case by itself, PostgreSQL's does not).
func (r *UserRepository) List(ctx context.Context, q outbound.UserQuery) ([]*user.User, error) {
	ctx, cancel := r.conn.bound(ctx)
	defer cancel()
	query := r.conn.with(ctx).Model(&userRow{}).Order("id ASC").Limit(q.Limit)
	if !q.After.IsZero() {
		query = query.Where("id > ?", q.After.String())
	}
	if q.EmailPrefix != "" {
		query = query.Where(`email LIKE ? ESCAPE '\'`, likeEscaper.Replace(q.EmailPrefix)+"%")
	}
	var rows []userRow
	if err := query.Find(&rows).Error; err != nil {
		return nil, r.conn.wrap("list users", err)
	}
	out := make([]*user.User, 0, len(rows))
	for _, row := range rows {
		u, err := row.toDomain()
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}
