package passwordlist

import (
	"crypto/rand"
	"testing"
)

func TestListIsLargeEnough(t *testing.T) {
	if n := New().Len(); n < 10_000 {
		t.Fatalf("Len = %d, the contract wants at least 10,000", n)
	}
}

func TestContains(t *testing.T) {
	l := New()
	for _, p := range []string{"password", "123456", "qwerty", "PassWord", "PASSWORD", "QwErTy", "iloveyou", "trustno1"} {
		if !l.Contains(p) {
			t.Errorf("Contains(%q) = false, want true", p)
		}
	}
	for _, p := range []string{rand.Text(), "", "correct horse battery staple", "password-but-longer-9f3a"} {
		if l.Contains(p) {
			t.Errorf("Contains(%q) = true, want false", p)
		}
	}
}
