package mongodb

import (
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/orderly-shop/orderly"
)

// isDuplicateKey reports whether err is a unique-index violation. MongoDB
// reports E11000; the embedded store reports an insert the same way, but a
// violation hit by an update or an upsert surfaces as an internal error that
// carries SQLite's "UNIQUE constraint failed" message.
func isDuplicateKey(err error) bool {
	if err == nil {
		return false
	}
	if mongo.IsDuplicateKeyError(err) {
		return true
	}
	var se mongo.ServerError
	return errors.As(err, &se) && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

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
