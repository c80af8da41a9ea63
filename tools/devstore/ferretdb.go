package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// dataDir returns the absolute path of the data directory, created if needed.
func dataDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("data dir: %w", err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return "", fmt.Errorf("data dir: %w", err)
	}
	return abs, nil
}

// newFerretDB opens (creating if needed) the SQLite databases in the
// absolute directory dir and binds FerretDB's listener to addr. It returns
// the instance, not yet running, and the host:port it listens on.
func newFerretDB(dir, addr string, log *slog.Logger) (*ferretdb.FerretDB, string, error) {
	// FerretDB wants a file: URI naming a directory, with a trailing slash.
	sqlite := url.URL{Scheme: "file", Path: dir + string(filepath.Separator)}

	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Handler:   "sqlite",
		SQLiteURL: sqlite.String(),
		Logger:    log,
	})
	if err != nil {
		return nil, "", fmt.Errorf("ferretdb: %w", err)
	}
	// The listener is bound by New, so this does not block.
	u, err := url.Parse(db.MongoDBURI())
	if err != nil {
		return nil, "", fmt.Errorf("ferretdb: %w", err)
	}
	return db, u.Host, nil
}
