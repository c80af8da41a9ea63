package metrics

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/orderly-shop/orderly"
)

// TestFeedLag: a change is timed from its stamp; an unknown stamp is not
// recorded, and a stamp from a clock ahead of ours counts as no lag.
func TestFeedLag(t *testing.T) {
	reg := prometheus.NewRegistry()
	f := NewFeed(reg)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	f.Delivered(orderly.ChangeOrder, now.Add(-300*time.Millisecond))
	f.Delivered(orderly.ChangeOrder, now.Add(time.Second)) // writer's clock ahead
	f.Delivered(orderly.ChangeOrder, time.Time{})
	h := f.lag.WithLabelValues("ORDER").(prometheus.Histogram)
	m := &dtoMetric{}
	if err := h.Write(&m.Metric); err != nil {
		t.Fatal(err)
	}
	if got := m.GetHistogram().GetSampleCount(); got != 2 {
		t.Errorf("%d samples, want 2 (the zero stamp skipped)", got)
	}
	if got := m.GetHistogram().GetSampleSum(); got < 0.299 || got > 0.301 {
		t.Errorf("sum %v, want 0.3 (the early stamp as 0)", got)
	}
}

// TestHTTPMiddleware: requests are counted by route name and code; a
// hijacked connection counts as an open websocket until its handler returns,
// and stays out of the latency histogram.
func TestHTTPMiddleware(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewHTTP(reg)
	release := make(chan struct{})
	hijacked := make(chan struct{})
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ws" {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			close(hijacked)
			<-release
			return
		}
		w.WriteHeader(http.StatusTeapot)
	}), func(r *http.Request) string { return "route" + r.URL.Path[:2] })
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/x/secret-token")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	<-hijacked
	if got := testutil.ToFloat64(m.websockets); got != 1 {
		t.Errorf("open websockets %v, want 1", got)
	}
	close(release)
	_, _ = bufio.NewReader(conn).ReadByte() // the server closes the connection
	deadline := time.Now().Add(5 * time.Second)
	for testutil.ToFloat64(m.websockets) != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := testutil.ToFloat64(m.websockets); got != 0 {
		t.Errorf("open websockets %v after the handler returned", got)
	}
	if got := testutil.ToFloat64(m.requests.WithLabelValues("GET", "route/x", "418")); got != 1 {
		t.Errorf("teapots %v", got)
	}
	if got := testutil.ToFloat64(m.requests.WithLabelValues("GET", "route/w", "101")); got != 1 {
		t.Errorf("upgrades %v", got)
	}
	if n := testutil.CollectAndCount(m.duration); n != 1 {
		t.Errorf("%d latency series, want the plain request's only", n)
	}
	if out, _ := testutil.CollectAndFormat(reg, expfmt.TypeTextPlain); strings.Contains(string(out), "secret-token") {
		t.Error("a raw path reached a label")
	}
}

func TestRootField(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { a: Int, b: Int } type Mutation { placeOrder: Int }`})
	for query, want := range map[string]string{
		`{ a }`:                              "a",
		`{ x: a y: a }`:                      "a",
		`{ a b }`:                            "multiple",
		`mutation Anything { placeOrder }`:   "placeOrder",
		`{ ...F } fragment F on Query { a }`: "multiple",
	} {
		doc, err := gqlparser.LoadQueryWithRules(schema, query, nil) // nil: the default rules
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		if got := rootField(doc.Operations[0]); got != want {
			t.Errorf("%s: %q, want %q", query, got, want)
		}
	}
}

type dtoMetric struct{ dto.Metric }
