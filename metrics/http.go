package metrics

import (
	"bufio"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// HTTP counts and times the requests a server answers, and counts its open
// websockets.
type HTTP struct {
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	websockets prometheus.Gauge
}

// NewHTTP registers the HTTP metrics in reg.
func NewHTTP(reg prometheus.Registerer) *HTTP {
	f := promauto.With(reg)
	return &HTTP{
		requests: f.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by method, route and status code (101 for websocket upgrades).",
		}, []string{"method", "route", "code"}),
		duration: f.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method and route; websockets are left out (they last as long as the page).",
			Buckets: latencyBuckets,
		}, []string{"method", "route"}),
		websockets: f.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Subsystem: "websocket", Name: "connections",
			Help: "Websocket connections open now.",
		}),
	}
}

// Middleware measures each request to next. routeOf names the request's
// route from a fixed set (never the raw path, which a client chooses).
func (m *HTTP) Middleware(next http.Handler, routeOf func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, ws: m.websockets}
		defer func() {
			// A hijacked connection was a websocket: the handler returns when
			// the socket closes.
			if rec.hijacked {
				m.websockets.Dec()
			}
		}()
		next.ServeHTTP(rec, r)
		route := routeOf(r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		m.requests.WithLabelValues(r.Method, route, strconv.Itoa(status)).Inc()
		if !rec.hijacked {
			m.duration.WithLabelValues(r.Method, route).Observe(time.Since(start).Seconds())
		}
	})
}

// recorder remembers the status code and whether the connection was
// hijacked. Like the server's access log, it passes Hijack and Flush
// through: gorilla/websocket needs an http.Hijacker itself.
type recorder struct {
	http.ResponseWriter
	ws       prometheus.Gauge
	status   int
	hijacked bool
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Hijack hands the connection to the websocket and counts it as open.
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err == nil && !r.hijacked {
		r.hijacked = true
		r.ws.Inc()
		if r.status == 0 {
			r.status = http.StatusSwitchingProtocols
		}
	}
	return conn, rw, err
}

// Flush sends buffered data, for streaming responses.
func (r *recorder) Flush() { _ = http.NewResponseController(r.ResponseWriter).Flush() }
