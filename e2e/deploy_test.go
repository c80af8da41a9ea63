package e2e

import (
	"encoding/json"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"go.yaml.in/yaml/v3"

	"github.com/orderly-shop/orderly/codec"
)

// composeFile is the part of docker-compose.yml these tests read.
type composeFile struct {
	Services map[string]struct {
		Image       string
		Environment map[string]string
		Ports       []string
		Volumes     []string
	}
}

// repoFile reads a file of the repository (tests run in e2e/).
func repoFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestComposeObservability: with no Docker engine here, the compose file is
// checked for what it must wire: Jaeger takes both binaries' OTLP, Prometheus
// scrapes both at the addresses they listen on, Grafana is provisioned from
// files that exist with the datasource the dashboard names, and both
// binaries share one valid payload key.
func TestComposeObservability(t *testing.T) {
	var c composeFile
	if err := yaml.Unmarshal(repoFile(t, "docker-compose.yml"), &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for _, name := range []string{"jaeger", "prometheus", "grafana", "server", "worker"} {
		if _, ok := c.Services[name]; !ok {
			t.Fatalf("no service %s", name)
		}
	}
	var prom struct {
		ScrapeConfigs []struct {
			JobName       string                       `yaml:"job_name"`
			StaticConfigs []struct{ Targets []string } `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(repoFile(t, "deploy/prometheus/prometheus.yml"), &prom); err != nil {
		t.Fatalf("prometheus.yml: %v", err)
	}
	var targets []string
	for _, sc := range prom.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			targets = append(targets, st.Targets...)
		}
	}
	keys := map[string]string{}
	for _, name := range []string{"server", "worker"} {
		env := c.Services[name].Environment
		u, err := url.Parse(env["OTEL_EXPORTER_OTLP_ENDPOINT"])
		if err != nil || u.Hostname() != "jaeger" || !slices.Contains(c.Services["jaeger"].Ports, u.Port()+":"+u.Port()) {
			t.Errorf("%s exports traces to %q, not to a port jaeger publishes (%v)", name, env["OTEL_EXPORTER_OTLP_ENDPOINT"], c.Services["jaeger"].Ports)
		}
		if env["OTEL_SERVICE_NAME"] != "orderly-"+name {
			t.Errorf("%s OTEL_SERVICE_NAME = %q", name, env["OTEL_SERVICE_NAME"])
		}
		_, port, err := net.SplitHostPort(env["METRICS_ADDR"])
		if err != nil || !slices.Contains(targets, name+":"+port) {
			t.Errorf("%s serves metrics at %q; Prometheus scrapes %v", name, env["METRICS_ADDR"], targets)
		}
		if k, err := codec.ParseKeys(env["PAYLOAD_KEYS"]); err != nil || len(k) == 0 {
			t.Errorf("%s PAYLOAD_KEYS: %v", name, err)
		}
		keys[name] = env["PAYLOAD_KEYS"]
	}
	if keys["server"] != keys["worker"] {
		t.Error("the server and the worker have different payload keys")
	}
	for _, v := range c.Services["grafana"].Volumes {
		host, _, _ := strings.Cut(v, ":")
		if _, err := os.Stat(filepath.Join("..", host)); err != nil {
			t.Errorf("grafana mounts %s: %v", host, err)
		}
	}
	var ds struct {
		Datasources []struct{ UID, URL string } `yaml:"datasources"`
	}
	if err := yaml.Unmarshal(repoFile(t, "deploy/grafana/provisioning/datasources/prometheus.yml"), &ds); err != nil || len(ds.Datasources) != 1 {
		t.Fatalf("datasource: %v", err)
	}
	if !strings.Contains(ds.Datasources[0].URL, "prometheus:9090") {
		t.Errorf("datasource URL %s", ds.Datasources[0].URL)
	}
	for _, p := range dashboardPanels(t) {
		if p.Datasource.UID != ds.Datasources[0].UID {
			t.Errorf("panel %q uses datasource %q", p.Title, p.Datasource.UID)
		}
	}
}

// panel is a Grafana panel as the dashboard JSON holds it.
type panel struct {
	Type       string
	Title      string
	Datasource struct{ UID string }
	Targets    []struct{ Expr string }
}

func dashboardPanels(t *testing.T) []panel {
	t.Helper()
	var d struct {
		UID    string
		Panels []panel
	}
	if err := json.Unmarshal(repoFile(t, "deploy/grafana/dashboards/orderly.json"), &d); err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	var out []panel
	for _, p := range d.Panels {
		if p.Type != "row" {
			out = append(out, p)
		}
	}
	if len(out) < 10 {
		t.Fatalf("the dashboard has %d panels", len(out))
	}
	return out
}

var metricName = regexp.MustCompile(`\b(?:orderly|temporal)_[a-z0-9_]+\b`)

// checkDashboard: every metric a panel queries is one the binaries export
// (histogram series by their family's name).
func checkDashboard(t *testing.T, exported ...map[string]*dto.MetricFamily) {
	has := func(name string) bool {
		for _, fams := range exported {
			if _, ok := fams[name]; ok {
				return true
			}
			for _, suffix := range []string{"_bucket", "_count", "_sum"} {
				if f, ok := fams[strings.TrimSuffix(name, suffix)]; ok && strings.HasSuffix(name, suffix) && f.GetType() == dto.MetricType_HISTOGRAM {
					return true
				}
			}
		}
		return false
	}
	for _, p := range dashboardPanels(t) {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			names := metricName.FindAllString(tg.Expr, -1)
			if len(names) == 0 {
				t.Errorf("panel %q: no metric in %q", p.Title, tg.Expr)
			}
			for _, n := range names {
				if !has(n) {
					t.Errorf("panel %q queries %s, which neither binary exports", p.Title, n)
				}
			}
		}
	}
}
