package contract

import (
	"slices"

	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// listUsers runs a List that must succeed.
func (f *fixture) listUsers(q outbound.UserQuery) []*user.User {
	f.Helper()
	got, err := f.Users.List(f.ctx, q)
	f.must(err)
	return got
}

func (f *fixture) sameUserIDs(what string, got []*user.User, want ...*user.User) {
	f.Helper()
	ids := func(us []*user.User) []user.ID {
		out := make([]user.ID, len(us))
		for i, u := range us {
			out[i] = u.ID()
		}
		return out
	}
	if g, w := ids(got), ids(want); !slices.Equal(g, w) {
		f.Fatalf("%s = %v, want %v", what, g, w)
	}
}

// Users come in id (creation) order, not email order, and a cursor is the
// last id of the previous page, which need not exist any more.
func userListPages(f *fixture) {
	a := f.addUser("carol@example.com")
	b := f.addUser("alice@example.com")
	c := f.addUser("bob@example.com")

	all := f.listUsers(outbound.UserQuery{Limit: 10})
	f.sameUserIDs("List", all, a, b, c)
	f.sameUser(all[1], b)
	f.sameUserIDs("first page", f.listUsers(outbound.UserQuery{Limit: 2}), a, b)
	f.sameUserIDs("page after b", f.listUsers(outbound.UserQuery{After: b.ID(), Limit: 2}), c)
	f.sameUserIDs("page after the last user", f.listUsers(outbound.UserQuery{After: c.ID(), Limit: 2}))

	f.must(f.Users.Delete(f.ctx, b.ID()))
	f.sameUserIDs("page after a deleted user", f.listUsers(outbound.UserQuery{After: b.ID(), Limit: 10}), c)
}

// LIKE's wildcards in the prefix match themselves only, and the prefix is
// matched from the start of the email. Stores receive the prefix already
// normalised (user.NormalizeEmailPrefix), lower case like stored emails.
func userListPrefix(f *fixture) {
	underscore := f.addUser("a_b@x.io")
	letter := f.addUser("axb@x.io")
	percent := f.addUser("a%b@x.io")
	other := f.addUser("b_a@x.io")
	for _, tc := range []struct {
		prefix string
		want   []*user.User
	}{
		{"a_", []*user.User{underscore}},
		{"a%", []*user.User{percent}},
		{"a", []*user.User{underscore, letter, percent}},
		{"", []*user.User{underscore, letter, percent, other}},
		{"a_b@x", []*user.User{underscore}},
		{"_", nil},
		{"%", nil},
		{"x.io", nil},
		{"zzz", nil},
	} {
		got := f.listUsers(outbound.UserQuery{EmailPrefix: tc.prefix, Limit: 10})
		f.sameUserIDs("List with prefix "+tc.prefix, got, tc.want...)
	}
	got := f.listUsers(outbound.UserQuery{EmailPrefix: "a", After: underscore.ID(), Limit: 1})
	f.sameUserIDs("prefix a, after a_b, limit 1", got, letter)
}
