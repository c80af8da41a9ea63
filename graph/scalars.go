package graph

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The schema's Int, bound in gqlgen.yml to these functions instead of
// gqlgen's own (graphql.UnmarshalInt), which coerces more than the GraphQL
// spec allows: it accepts strings ("5") and any 64-bit value. The spec's
// input coercion for Int accepts only a number with an integral value that
// fits in a signed 32-bit integer, and refuses everything else, numeric
// strings included. gqlparser's variable validation lets numeric strings
// and 64-bit values through for Int, so the rule is applied here, where
// every Int argument and input field is read: a refused value is a
// GRAPHQL_VALIDATION_FAILED error on that argument, and the resolver does
// not run.

// MarshalInt writes an Int result.
func MarshalInt(i int) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Itoa(i)) })
}

// UnmarshalInt reads an Int argument or input field (a literal or a
// variable) with the spec's input coercion.
func UnmarshalInt(v any) (int, error) {
	n, err := coerceInt(v)
	return int(n), err
}

// MarshalInt64 writes an Int result held in an int64 (money amounts).
func MarshalInt64(i int64) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.FormatInt(i, 10)) })
}

// UnmarshalInt64 reads an Int input held in an int64, with the same
// coercion as UnmarshalInt: the schema's Int is 32 bits whatever Go holds
// it in.
func UnmarshalInt64(v any) (int64, error) { return coerceInt(v) }

// coerceInt applies the Int input coercion to a value as gqlgen hands it
// over: int64 from literals and top-level variables, json.Number from
// variables inside input objects and lists.
func coerceInt(v any) (int64, error) {
	var n int64
	switch x := v.(type) {
	case int:
		n = int64(x)
	case int32:
		n = int64(x)
	case int64:
		n = x
	case json.Number:
		i, err := x.Int64()
		if err != nil {
			return 0, intError("Int cannot represent a non-integer value: %s", x)
		}
		n = i
	case string:
		return 0, intError("Int cannot represent a string: %s", strconv.Quote(truncate(x, 20)))
	default:
		return 0, intError("Int cannot represent a %T", v)
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, intError("Int cannot represent a value outside the signed 32-bit range: %d", n)
	}
	return n, nil
}

// intError is a coercion failure as the client sees it: gqlgen puts the
// argument's path on it, and presentError passes it through.
func intError(format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"},
	}
}
