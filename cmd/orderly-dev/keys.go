package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/orderly-shop/orderly/codec"
)

// keysFile holds the development payload key under the data directory.
const keysFile = "payload-keys"

// payloadKeys returns the PAYLOAD_KEYS both binaries get: the launcher's own
// PAYLOAD_KEYS when set, else the development key in dataDir, generated on
// first use and kept (mode 0600) so that workflows encrypted under it stay
// readable across restarts. It says where the keys came from.
func payloadKeys(dataDir string, getenv func(string) string) (keys, source string, err error) {
	if v := getenv(codec.EnvKeys); v != "" {
		if _, err := codec.ParseKeys(v); err != nil {
			return "", "", fmt.Errorf("%s: %w", codec.EnvKeys, err)
		}
		return v, codec.EnvKeys, nil
	}
	path := filepath.Join(dataDir, keysFile)
	b, err := os.ReadFile(path)
	if err == nil {
		keys = strings.TrimSpace(string(b))
		if _, err := codec.ParseKeys(keys); err != nil || keys == "" {
			return "", "", fmt.Errorf("%s: not a PAYLOAD_KEYS value (delete it to get a new key; workflows encrypted under the old one become unreadable): %v", path, err)
		}
		return keys, path, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", "", fmt.Errorf("payload keys: %w", err)
	}
	if keys, err = codec.GenerateKey("dev1"); err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return "", "", fmt.Errorf("payload keys: %w", err)
	}
	// O_EXCL: two launchers racing on one data dir cannot each write a key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", "", fmt.Errorf("payload keys: %w", err)
	}
	if _, err := f.WriteString(keys + "\n"); err != nil {
		f.Close()
		return "", "", fmt.Errorf("payload keys: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", "", fmt.Errorf("payload keys: %w", err)
	}
	return keys, path + " (new)", nil
}
