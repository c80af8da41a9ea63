//go:build !unix

package devstack

import "context"

// lockFile is a no-op where flock is unavailable: concurrent builds of the
// same binary are then left to chance.
func lockFile(context.Context, string) (func(), error) { return func() {}, nil }
