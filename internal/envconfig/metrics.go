package envconfig

import (
	"net"
	"strconv"
	"strings"
)

// ReadMetricsAddr reads METRICS_ADDR, where a binary serves /metrics: def
// when unset; "" (metrics off) when set to empty — the one variable where
// empty does not mean the default, so that a deployment can turn the
// endpoint off without inventing an address. A value must be host:port.
func ReadMetricsAddr(r *Reader, def string) string {
	v, set := r.lookup("METRICS_ADDR")
	if !set {
		return def
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	_, port, err := net.SplitHostPort(v)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		r.fail("METRICS_ADDR", "is %q; want host:port (127.0.0.1:9091), or empty to turn metrics off", v)
		return def
	}
	return v
}
