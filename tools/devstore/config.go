package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"
)

// config is the command line, parsed and checked.
type config struct {
	listen   string
	data     string
	logLevel slog.Level
	dbLevel  slog.Level
	timeout  time.Duration
	gate     bool
	idIndex  bool
	pushdown bool
	pprof    string
}

// hiddenFlag reports the flags left out of -help: they turn off what the devstore adds
// to FerretDB, and exist only for the tests and benchmarks that show what
// each addition is for.
func hiddenFlag(name string) bool {
	return name == "gate" || name == "id-index" || name == "pushdown"
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("devstore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:27017", "loopback `address` to serve the MongoDB wire protocol on (port 0 picks a free one)")
	fs.StringVar(&cfg.data, "data", "./data/store", "`directory` for the SQLite databases")
	fs.TextVar(&cfg.logLevel, "log-level", slog.LevelInfo, "log `level`: debug, info, warn or error")
	// FerretDB logs every failed command at warn level, so "no such command:
	// endSessions" from each disconnecting driver would drown everything else.
	fs.TextVar(&cfg.dbLevel, "ferretdb-log-level", slog.LevelError, "log `level` of FerretDB itself")
	fs.DurationVar(&cfg.timeout, "request-timeout", time.Minute, "longest wait for the gate and for one reply")
	// Hidden from -help (see hiddenFlag). -gate=false serves FerretDB bare,
	// without any of the devstore's additions.
	fs.BoolVar(&cfg.gate, "gate", true, "")
	fs.BoolVar(&cfg.idIndex, "id-index", true, "")
	fs.BoolVar(&cfg.pushdown, "pushdown", true, "")
	fs.StringVar(&cfg.pprof, "pprof", "", "loopback `address` to serve Go's profiles on (net/http/pprof), for finding where the store spends its time")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: devstore [flags]")
		fs.VisitAll(func(f *flag.Flag) {
			if !hiddenFlag(f.Name) {
				name, usage := flag.UnquoteUsage(f)
				fmt.Fprintf(fs.Output(), "  -%s %s\n    \t%s (default %q)\n", f.Name, name, usage, f.DefValue)
			}
		})
	}
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if cfg.timeout <= 0 {
		return config{}, errors.New("-request-timeout must be positive")
	}
	if err := checkLoopback(cfg.listen); err != nil {
		return config{}, err
	}
	if cfg.pprof != "" {
		if err := checkLoopback(cfg.pprof); err != nil {
			return config{}, fmt.Errorf("-pprof: %w", err)
		}
	}
	return cfg, nil
}

// checkLoopback refuses non-loopback addresses: the store has no
// authentication, so it must not be reachable from other machines.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-listen: %q is not a loopback address (the store has no authentication)", host)
	}
	return nil
}

// listen binds addr, saying plainly when the port is taken.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w (is another store running? pick a free port with -listen)", addr, err)
	}
	return ln, nil
}
