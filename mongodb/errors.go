package mongodb

import (
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/orderly-shop/orderly"
)

// isDuplicateKey reports whether err is a unique-index violation (E11000).
// The embedded store reports every violation that way too: the devstore
// translates FerretDB's own wording at its edge.
func isDuplicateKey(err error) bool { return mongo.IsDuplicateKeyError(err) }

// isNotFound reports whether err says that no document matched.
func isNotFound(err error) bool { return errors.Is(err, mongo.ErrNoDocuments) }

// notFoundOr maps "no document" to an ENOTFOUND error that names the thing
// looked for, and wraps any other error with the prefix.
func notFoundOr(err error, prefix, format string, args ...any) error {
	if isNotFound(err) {
		return orderly.Errorf(orderly.ENOTFOUND, format, args...)
	}
	return fmt.Errorf("%s: %w", prefix, err)
}
