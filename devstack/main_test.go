package devstack

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	// The gate test re-executes this binary as its load-generating children.
	if os.Getenv(hammerEnv) != "" {
		os.Exit(hammerChild())
	}
	os.Exit(m.Run())
}
