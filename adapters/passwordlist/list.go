// Package passwordlist is the blocklist of common passwords that new
// passwords are checked against (NIST SP 800-63B §5.1.1.2): the 30,000 most
// frequent passwords of breach corpora, as shipped with the zxcvbn strength
// estimator (github.com/trustelem/zxcvbn).
package passwordlist

import (
	"strings"

	"github.com/trustelem/zxcvbn/frequency"

	"github.com/authd/authd/domain/user"
)

// List answers whether a password is on the list, ignoring case: a
// password that differs from a common one only by capitals is just as weak.
// It is read-only after New and safe for concurrent use.
type List struct {
	entries map[string]struct{}
}

var _ user.Blocklist = (*List)(nil)

// New loads the list into memory (about a megabyte). Build it once at
// startup and share it.
func New() *List {
	source := frequency.FrequencyLists["passwords"]
	entries := make(map[string]struct{}, len(source))
	for _, p := range source {
		entries[strings.ToLower(p)] = struct{}{}
	}
	return &List{entries: entries}
}

// Contains reports whether password, lower-cased, is on the list.
func (l *List) Contains(password string) bool {
	_, ok := l.entries[strings.ToLower(password)]
	return ok
}

// Len returns the number of distinct entries.
func (l *List) Len() int { return len(l.entries) }
