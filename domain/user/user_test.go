package user_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain/user"
)

func TestParseEmail(t *testing.T) {
	valid := map[string]string{
		"ada@example.com":            "ada@example.com",
		"  Ada.Lovelace@Example.COM": "ada.lovelace@example.com",
		"a+tag@sub.example.org":      "a+tag@sub.example.org",
	}
	for in, want := range valid {
		got, err := user.ParseEmail(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	invalid := []string{
		"", "   ", "ada", "@example.com", "ada@", "Ada <ada@example.com>", "<ada@example.com>",
		"ada@example.com, bob@example.com", "ada@@example.com",
		strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com", // 255 bytes
	}
	for _, in := range invalid {
		if _, err := user.ParseEmail(in); err == nil {
			t.Errorf("ParseEmail(%q) accepted", in)
		}
	}
}

func TestEmailLocalPart(t *testing.T) {
	e, _ := user.ParseEmail("ada.l@example.com")
	if e.LocalPart() != "ada.l" {
		t.Fatalf("local part = %q", e.LocalPart())
	}
}

func TestPasswordNeverShowsItself(t *testing.T) {
	p, err := user.NewPassword("hunter2hunter2", user.PasswordPolicy{}, user.Email{})
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(struct{ P user.Password }{p})
	for _, shown := range []string{p.String(), fmt.Sprint(p), fmt.Sprintf("%v %+v %#v %s", p, p, p, p), string(js)} {
		if strings.Contains(shown, "hunter2") {
			t.Fatalf("password leaked: %s", shown)
		}
	}
	if p.Reveal() != "hunter2hunter2" {
		t.Fatal("Reveal must return the plaintext for the hasher")
	}
	h, _ := user.NewPasswordHash("$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA")
	if strings.Contains(fmt.Sprintf("%v %#v", h, h), "argon2id") {
		t.Fatal("hash leaked through formatting")
	}
}

func TestNewPasswordKeepsEveryCharacter(t *testing.T) {
	plain := "  spaces\x00and NUL  "
	p, err := user.NewPassword(plain, user.PasswordPolicy{}, user.Email{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Reveal() != plain {
		t.Fatal("password must not be trimmed or altered")
	}
	if _, err := user.NewPassword(strings.Repeat("é", 128), user.PasswordPolicy{}, user.Email{}); err != nil {
		t.Fatalf("128 code points (256 bytes) must pass: %v", err)
	}
	if _, err := user.NewPassword(strings.Repeat("é", 129), user.PasswordPolicy{}, user.Email{}); err == nil {
		t.Fatal("129 code points must fail, not be truncated")
	}
}

func TestParseRole(t *testing.T) {
	for _, ok := range []string{"user", "admin"} {
		if _, err := user.ParseRole(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Admin", "root"} {
		if _, err := user.ParseRole(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRegisterAlwaysMakesPlainUsersAndSnapshotsRoundTrip(t *testing.T) {
	email, _ := user.ParseEmail("ada@example.com")
	name, _ := user.ParseFullName("  Ada  ")
	hash, _ := user.NewPasswordHash("$fake$1")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 3600))
	u, err := user.Register(mustUserID(t, "01890a5d-ac96-774b-bcce-b302099a8001"), email, name, hash, now)
	if err != nil {
		t.Fatal(err)
	}
	if u.Role() != user.RoleUser || u.FullName().String() != "Ada" || u.CreatedAt().Location() != time.UTC {
		t.Fatalf("unexpected user: role %s name %q loc %v", u.Role(), u.FullName(), u.CreatedAt().Location())
	}
	back, err := user.Rehydrate(u.Snapshot())
	if err != nil || back.Snapshot() != u.Snapshot() {
		t.Fatalf("round trip: %v", err)
	}
	bad := u.Snapshot()
	bad.Role = "root"
	if _, err := user.Rehydrate(bad); err == nil {
		t.Fatal("a corrupt stored role must not rehydrate")
	}
}

func mustUserID(t *testing.T, s string) user.ID {
	t.Helper()
	id, err := user.ParseID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestParseIDTakesOnlyCanonicalUUIDs(t *testing.T) {
	id := mustUserID(t, "01890A5D-AC96-774B-BCCE-B302099A8001")
	if id.String() != "01890a5d-ac96-774b-bcce-b302099a8001" || id.IsZero() {
		t.Fatalf("ParseID gave %s", id)
	}
	if _, err := user.ParseID("u-1"); err == nil {
		t.Fatal("a non-UUID parsed as a user id")
	}
	if !(user.ID{}).IsZero() {
		t.Fatal("the zero id is not zero")
	}
}

func TestRegisterRefusesTheZeroID(t *testing.T) {
	email, _ := user.ParseEmail("ada@example.com")
	name, _ := user.ParseFullName("Ada")
	hash, _ := user.NewPasswordHash("$fake$1")
	if _, err := user.Register(user.ID{}, email, name, hash, time.Now()); err == nil {
		t.Fatal("a user without an id was registered")
	}
}

func TestNormalizeEmailPrefixMatchesStoredEmails(t *testing.T) {
	email, _ := user.ParseEmail("  Ada.Lovelace@Example.COM ")
	prefix := user.NormalizeEmailPrefix("  ADA.L ")
	if prefix != "ada.l" || !strings.HasPrefix(email.String(), prefix) {
		t.Fatalf("prefix %q does not match stored %q", prefix, email)
	}
}

func TestAnAccountMayHaveNoPassword(t *testing.T) {
	email, _ := user.ParseEmail("ada@example.com")
	name, _ := user.ParseFullName("Ada")
	u, err := user.RegisterExternal(mustUserID(t, "01890a5d-ac96-774b-bcce-b302099a8001"), email, name, true, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if u.HasPassword() || u.PasswordHash().PHC() != "" || !u.EmailVerified() || u.Role() != user.RoleUser {
		t.Fatalf("external account: password %v, verified %v, role %s", u.HasPassword(), u.EmailVerified(), u.Role())
	}
	back, err := user.Rehydrate(u.Snapshot())
	if err != nil || back.HasPassword() || back.Snapshot() != u.Snapshot() {
		t.Fatalf("round trip of a passwordless account: %v", err)
	}
	hash, _ := user.NewPasswordHash("$fake$1")
	u.ChangePasswordHash(hash, time.Now())
	if !u.HasPassword() || u.PasswordHash().PHC() != "$fake$1" {
		t.Fatal("setting a password on a passwordless account did not stick")
	}
	if _, err := user.Register(u.ID(), email, name, user.PasswordHash{}, time.Now()); err == nil {
		t.Fatal("Register accepted an account without a password")
	}
}
