// Package devstack brings up Orderly's development stack: the Temporal
// development server, the embedded MongoDB-compatible store (tools/devstore),
// the worker and the server, each as a child process with prefixed logs.
//
// The same code serves `make run` (cmd/orderly-dev) and the integration
// tests, which use TestStore, TestTemporal and Main to get real services on
// free ports. It depends on the standard library only: the Temporal CLI and
// FerretDB are built from their own modules under tools/ and only ever run as
// separate binaries, so they never enter the root module's dependencies.
package devstack
