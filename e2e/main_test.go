package e2e

import (
	"os"
	"testing"

	"github.com/orderly-shop/orderly/devstack"
)

// One Temporal dev server and one store serve every test of the package;
// each test keeps apart with its own database and its own server and worker.
func TestMain(m *testing.M) {
	os.Exit(devstack.Main(m, devstack.SharedStore|devstack.SharedTemporal))
}
