package usersweb_test

import (
	"testing"

	"github.com/monoshop/monoshop/internal/platform/dbtest"
)

// TestMain stops the private PostgreSQL that dbtest starts for this test binary.
func TestMain(m *testing.M) { dbtest.Main(m) }
