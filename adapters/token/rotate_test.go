package token_test

import (
	"context"
	"testing"
	"time"

	"github.com/authd/authd/adapters/token"
)

func TestKeyDirRotateAddsTheNewActiveKey(t *testing.T) {
	dir := t.TempDir()
	first, err := token.GenerateKey(dir, token.EdDSA)
	if err != nil {
		t.Fatal(err)
	}
	kid, err := token.KeyDir{Dir: dir, Algorithm: token.EdDSA}.Rotate(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := token.LoadKeySet(dir, token.EdDSA, false)
	if err != nil {
		t.Fatal(err)
	}
	if keys.ActiveKID() != kid || len(keys.KIDs()) != 2 || keys.KIDs()[1] != first {
		t.Fatalf("active %s, kids %v; want %s active and %s kept", keys.ActiveKID(), keys.KIDs(), kid, first)
	}
}
