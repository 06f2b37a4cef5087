package auth

import (
	"testing"

	"github.com/amanat/amn/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }
