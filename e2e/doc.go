// Package e2e holds Orderly's end-to-end tests: the real server and worker
// binaries as separate processes, against a real Temporal development server
// and the embedded store, driven over HTTP and graphql-transport-ws exactly as
// the web app drives them. It has no non-test code.
package e2e
