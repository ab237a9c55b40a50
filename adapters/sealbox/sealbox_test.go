package sealbox_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/authd/authd/adapters/sealbox"
)

func box(t *testing.T, fill byte) *sealbox.Box {
	t.Helper()
	b, err := sealbox.New(bytes.Repeat([]byte{fill}, sealbox.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealThenOpen(t *testing.T) {
	b := box(t, 1)
	msg := []byte(`{"link":"http://localhost:3000/reset-password#token=abc","code":"123456"}`)
	s1, err := b.Seal(msg)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := b.Seal(msg)
	if bytes.Contains(s1, []byte("123456")) || bytes.Contains(s1, []byte("token=")) || bytes.Equal(s1, s2) {
		t.Fatal("sealed values show the content or repeat (the nonce must be random)")
	}
	got, err := b.Open(s1)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("Open = %q, %v", got, err)
	}
}

func TestOpenRefusesOtherKeysAndAlterations(t *testing.T) {
	b := box(t, 1)
	sealed, err := b.Seal([]byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := box(t, 2).Open(sealed); !errors.Is(err, sealbox.ErrOpen) {
		t.Fatalf("another key: %v", err)
	}
	for i := range sealed {
		altered := bytes.Clone(sealed)
		altered[i] ^= 0x01
		if _, err := b.Open(altered); !errors.Is(err, sealbox.ErrOpen) {
			t.Fatalf("byte %d altered: %v", i, err)
		}
	}
	for _, short := range [][]byte{nil, {1}, sealed[:20]} {
		if _, err := b.Open(short); !errors.Is(err, sealbox.ErrOpen) {
			t.Fatalf("%d bytes: %v", len(short), err)
		}
	}
	if _, err := sealbox.New(make([]byte, 16)); err == nil {
		t.Fatal("a 16-byte key was accepted")
	}
}
