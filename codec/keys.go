package codec

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/orderly-shop/orderly/internal/envconfig"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

// Key is one AES-256 key and the ID that payloads encrypted with it carry.
type Key struct {
	ID     string
	secret []byte
}

// Keys are the keys a codec knows, newest first: it encrypts with the first
// and decrypts with whichever a payload names.
type Keys []Key

// keyID is what a key ID may look like: it travels in every payload's
// metadata and in PAYLOAD_KEYS, so short and plain.
var keyID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// ParseKeys reads PAYLOAD_KEYS: comma-separated id:key pairs, newest first,
// each key 32 bytes in standard base64 (as GenerateKey writes them). "" is
// no keys. Errors never quote a key.
func ParseKeys(s string) (Keys, error) {
	var keys Keys
	seen := map[string]bool{}
	for i, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		id, b64, ok := strings.Cut(item, ":")
		id = strings.TrimSpace(id)
		if !ok || !keyID.MatchString(id) {
			return nil, fmt.Errorf("entry %d: want id:base64key with an id of letters, digits, '.', '_' or '-'", i+1)
		}
		if seen[id] {
			return nil, fmt.Errorf("key %q is listed twice", id)
		}
		seen[id] = true
		secret, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil {
			return nil, fmt.Errorf("key %q is not standard base64", id)
		}
		if len(secret) != KeySize {
			return nil, fmt.Errorf("key %q is %d bytes; want %d (openssl rand -base64 32)", id, len(secret), KeySize)
		}
		keys = append(keys, Key{ID: id, secret: secret})
	}
	return keys, nil
}

// NewKey returns a Key from raw key bytes, for tests and tools.
func NewKey(id string, secret []byte) (Key, error) {
	if !keyID.MatchString(id) {
		return Key{}, errors.New("codec: bad key ID")
	}
	if len(secret) != KeySize {
		return Key{}, fmt.Errorf("codec: key is %d bytes; want %d", len(secret), KeySize)
	}
	return Key{ID: id, secret: append([]byte(nil), secret...)}, nil
}

// GenerateKey returns a fresh random key as a PAYLOAD_KEYS entry, id:base64.
func GenerateKey(id string) (string, error) {
	if !keyID.MatchString(id) {
		return "", errors.New("codec: bad key ID")
	}
	secret := make([]byte, KeySize)
	if _, err := rand.Read(secret); err != nil {
		return "", fmt.Errorf("codec: generate key: %w", err)
	}
	return id + ":" + base64.StdEncoding.EncodeToString(secret), nil
}

// IDs returns the key IDs, newest first, for logs (never the keys).
func (k Keys) IDs() []string {
	ids := make([]string, len(k))
	for i, key := range k {
		ids[i] = key.ID
	}
	return ids
}

// String names the keys without showing them, so that a Config printed by
// mistake leaks nothing.
func (k Keys) String() string { return "[" + strings.Join(k.IDs(), " ") + "]" }

// GoString is String, for %#v.
func (k Keys) GoString() string { return k.String() }

// String shows the key's ID only.
func (k Key) String() string { return k.ID }

// EnvKeys is the variable the binaries read their keys from.
const EnvKeys = "PAYLOAD_KEYS"

// ReadKeys reads PAYLOAD_KEYS with r. In production the keys are required:
// customers' names and addresses must not reach Temporal in the clear, and
// a worker without keys could not read what a server with keys started.
func ReadKeys(r *envconfig.Reader, production bool) Keys {
	keys, err := ParseKeys(r.String(EnvKeys, ""))
	r.Check(EnvKeys, err)
	if err == nil && len(keys) == 0 && production {
		r.Required(EnvKeys, "production encrypts workflow payloads; list id:base64key entries, newest first, e.g. k1:$(openssl rand -base64 32)")
	}
	return keys
}
