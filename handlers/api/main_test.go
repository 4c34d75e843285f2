package api_test

import (
	"testing"

	"harbor/app/apptest"
)

// TestMain prints which tests were skipped and how to run them.
func TestMain(m *testing.M) { apptest.Main(m) }
