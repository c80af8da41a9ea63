package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orderly-shop/orderly/codec"
)

// TestPayloadKeys: the development key is generated once, kept private and
// reused; PAYLOAD_KEYS from the environment wins; a damaged file stops the
// launcher instead of being replaced (which would orphan the workflows
// encrypted under it).
func TestPayloadKeys(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	noEnv := func(string) string { return "" }
	first, src, err := payloadKeys(dir, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if keys, err := codec.ParseKeys(first); err != nil || len(keys) != 1 || !strings.HasSuffix(src, "(new)") {
		t.Fatalf("generated %v from %s: %v", keys, src, err)
	}
	info, err := os.Stat(filepath.Join(dir, keysFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v", err, info.Mode())
	}
	again, _, err := payloadKeys(dir, noEnv)
	if err != nil || again != first {
		t.Errorf("second start got another key (%v)", err)
	}
	env := "ops:" + strings.Repeat("B", 43) + "="
	got, src, err := payloadKeys(dir, func(k string) string { return map[string]string{"PAYLOAD_KEYS": env}[k] })
	if err != nil || got != env || src != "PAYLOAD_KEYS" {
		t.Errorf("environment keys: %q from %s, %v", got, src, err)
	}
	if err := os.WriteFile(filepath.Join(dir, keysFile), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := payloadKeys(dir, noEnv); err == nil {
		t.Error("a damaged key file was accepted")
	}
}
