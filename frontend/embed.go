// Package frontend holds Orderly's web app. The built assets (npm run build)
// are embedded into the server binary, which serves them at / with a fallback
// to index.html for client-side routes.
package frontend

import (
	"embed"
	"fmt"
	"io/fs"
)

// dist holds the output of `npm run build`. Before the first build it holds
// only .gitkeep, so the Go build never depends on Node.
//
//go:embed all:dist
var dist embed.FS

// Assets returns the built web app, rooted at its index.html. Before the
// first `npm run build` the returned FS has no index.html; the server can
// check for it with fs.Stat to explain what to run.
func Assets() (fs.FS, error) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, fmt.Errorf("frontend assets: %w", err)
	}
	return sub, nil
}
