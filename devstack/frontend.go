package devstack

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// BuildFrontend brings the web app's build in frontend/dist up to date, the
// way `make build` would: `npm ci` when the lock file or a package.json is
// newer than the last install, then `npm run build` when any source under
// frontend/ is newer than dist/index.html. It does nothing when the
// repository has no frontend/package.json, and needs npm only when there is
// something to do. npm's output goes to out, prefixed "npm".
func BuildFrontend(ctx context.Context, root string, out *Output) error {
	frontend := filepath.Join(root, "frontend")
	if _, err := os.Stat(filepath.Join(frontend, "package.json")); err != nil {
		return nil // no web app in this checkout
	}
	installed := modTime(filepath.Join(root, "node_modules", ".package-lock.json"))
	needInstall := installed.IsZero()
	for _, f := range []string{"package-lock.json", "package.json", "frontend/package.json"} {
		needInstall = needInstall || modTime(filepath.Join(root, f)).After(installed)
	}
	built := modTime(filepath.Join(frontend, "dist", "index.html"))
	source, err := newestSource(frontend)
	if err != nil {
		return fmt.Errorf("frontend: %w", err)
	}
	if !needInstall && !source.After(built) {
		return nil
	}

	npm, err := LookTool("npm")
	if err != nil {
		return err
	}
	if needInstall {
		if err := runNpm(ctx, root, npm, out, "ci", "--no-audit", "--no-fund"); err != nil {
			return err
		}
	}
	return runNpm(ctx, root, npm, out, "run", "build")
}

// newestSource returns the latest modification time of the files that go
// into the bundle under dir: not the build output, installed packages,
// browser tests, TypeScript's incremental state or Go's embedding code.
func newestSource(dir string) (time.Time, error) {
	var newest time.Time
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "dist", "node_modules", "e2e":
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".tsbuildinfo", ".go":
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.ModTime().After(newest) {
			newest = info.ModTime()
		}
		return nil
	})
	return newest, err
}

// modTime returns the file's modification time, zero if it is missing.
func modTime(path string) time.Time {
	info, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return info.ModTime()
}

func runNpm(ctx context.Context, root, npm string, out *Output, args ...string) error {
	w := out.Writer("npm", nil)
	defer w.(*lineWriter).flush()
	cmd := command(ctx, npm, args...)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm %s: %w", args[0], err)
	}
	return nil
}
