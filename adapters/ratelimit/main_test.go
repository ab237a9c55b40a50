package ratelimit

import (
	"testing"

	"github.com/authd/authd/test/redistest"
)

func TestMain(m *testing.M) { redistest.Main(m) }
