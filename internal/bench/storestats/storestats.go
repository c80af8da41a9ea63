// Package storestats reads how many requests a MongoDB-compatible store has
// served, by command, so that a benchmark can say what each order costs the
// store.
//
// It asks the devstore's own {devstoreStats: 1} first (per-command request
// counts and whatever timings the devstore keeps) and falls back to
// serverStatus's metrics.commands, which FerretDB and MongoDB both keep.
// Shapes are read defensively: every numeric field of the answer is kept,
// flattened to dotted paths, so that a figure the devstore adds later shows
// up in the report without a change here.
package storestats

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Sources of a Snapshot.
const (
	SourceDevstore     = "devstoreStats"
	SourceServerStatus = "serverStatus"
)

// ownCommands are the commands this package sends; they are not the
// workload's, so deltas leave them out.
var ownCommands = []string{"devstoreStats", "serverStatus"}

// countKeys are the names a per-command document may give its request count.
var countKeys = []string{"count", "requests", "total", "n"}

// Snapshot is the store's cumulative counters at one moment.
type Snapshot struct {
	Source string
	At     time.Time
	// Commands counts the requests served so far, by command name.
	Commands map[string]float64
	// Fields holds every numeric field of a devstoreStats answer, by dotted
	// path ("gate.waitSeconds"); empty for serverStatus.
	Fields map[string]float64
}

// Reader takes snapshots of one store. It remembers which command the store
// answers, so that a store without devstoreStats is not asked for it (and
// does not count the refusals) on every snapshot.
type Reader struct {
	client *mongo.Client
	source string
}

// NewReader returns a Reader of the store c is connected to.
func NewReader(c *mongo.Client) *Reader { return &Reader{client: c} }

// Read takes a snapshot.
func (r *Reader) Read(ctx context.Context) (Snapshot, error) {
	admin := r.client.Database("admin")
	at := time.Now()
	var devErr error
	if r.source != SourceServerStatus {
		raw, err := admin.RunCommand(ctx, bson.D{{Key: "devstoreStats", Value: 1}}).Raw()
		if err == nil {
			r.source = SourceDevstore
			flat := flatten(raw)
			return Snapshot{Source: SourceDevstore, At: at, Commands: commandCounts(flat, "commands."), Fields: flat}, nil
		}
		var cmdErr mongo.CommandError
		if r.source == SourceDevstore || !errors.As(err, &cmdErr) {
			return Snapshot{}, fmt.Errorf("storestats: devstoreStats: %w", err)
		}
		devErr = err
	}
	raw, err := admin.RunCommand(ctx, bson.D{{Key: "serverStatus", Value: 1}}).Raw()
	if err != nil {
		return Snapshot{}, fmt.Errorf("storestats: devstoreStats: %v; serverStatus: %w", devErr, err)
	}
	r.source = SourceServerStatus
	return Snapshot{Source: SourceServerStatus, At: at, Commands: commandCounts(flatten(raw), "metrics.commands.")}, nil
}

// Delta is what the store served between two snapshots.
type Delta struct {
	Source string `json:"source"`
	// Requests is the sum over ByCommand.
	Requests  float64            `json:"requests"`
	ByCommand map[string]float64 `json:"byCommand"`
	// Fields are the changes of the devstoreStats fields that changed, the
	// per-command ones summed over commands ("commands.*.gateWaitNanos").
	Fields map[string]float64 `json:"fields,omitempty"`
}

// Sub returns what happened from prev to s, leaving out this package's own
// requests. Snapshots from different sources (the devstore restarted with
// another build) give a zero Delta that names both.
func (s Snapshot) Sub(prev Snapshot) Delta {
	if s.Source != prev.Source {
		return Delta{Source: prev.Source + "→" + s.Source}
	}
	d := Delta{Source: s.Source, ByCommand: map[string]float64{}}
	for name, n := range s.Commands {
		if slices.Contains(ownCommands, name) {
			continue
		}
		if v := n - prev.Commands[name]; v != 0 {
			d.ByCommand[name] = v
			d.Requests += v
		}
	}
	// Per-command figures other than the count are summed over the
	// workload's commands ("commands.*.backendNanos"); the rest are kept
	// as they are.
	total := func(f map[string]float64) map[string]float64 {
		out := map[string]float64{}
		for path, v := range f {
			if path == "ok" {
				continue
			}
			if rest, ok := strings.CutPrefix(path, "commands."); ok {
				name, field, nested := strings.Cut(rest, ".")
				if !nested || slices.Contains(ownCommands, name) || slices.Contains(countKeys, field) {
					continue
				}
				path = "commands.*." + field
			}
			out[path] += v
		}
		return out
	}
	now, then := total(s.Fields), total(prev.Fields)
	for path, v := range now {
		if dv := v - then[path]; dv != 0 {
			if d.Fields == nil {
				d.Fields = map[string]float64{}
			}
			d.Fields[path] = dv
		}
	}
	return d
}

// commandCounts picks per-command counts out of a flattened answer: under
// prefix, either "<prefix><command>" is the count itself, or
// "<prefix><command>.<key>" is, for the first key of countKeys present.
func commandCounts(flat map[string]float64, prefix string) map[string]float64 {
	out := map[string]float64{}
	nested := map[string]bool{}
	for path, v := range flat {
		rest, ok := strings.CutPrefix(path, prefix)
		if !ok {
			continue
		}
		if name, _, isNested := strings.Cut(rest, "."); isNested {
			nested[name] = true
		} else {
			out[name] = v
		}
	}
	for name := range nested {
		if _, done := out[name]; done {
			continue
		}
		for _, k := range countKeys {
			if v, ok := flat[prefix+name+"."+k]; ok {
				out[name] = v
				break
			}
		}
	}
	return out
}

// flatten returns every numeric field of doc by dotted path; array elements
// are numbered ("a.0.b"), except that an element document with a string
// "name" or "command" is keyed by that name, so that a list of per-command
// documents reads like a map of them.
func flatten(doc bson.Raw) map[string]float64 {
	out := map[string]float64{}
	flattenInto(out, "", doc, false)
	return out
}

func flattenInto(out map[string]float64, prefix string, doc bson.Raw, isArray bool) {
	elems, err := doc.Elements()
	if err != nil {
		return
	}
	for _, e := range elems {
		key := e.Key()
		v := e.Value()
		if isArray {
			if sub, ok := v.DocumentOK(); ok {
				for _, nameKey := range []string{"name", "command"} {
					if name, ok := sub.Lookup(nameKey).StringValueOK(); ok {
						key = name
						break
					}
				}
			}
		}
		path := prefix + key
		switch v.Type {
		case bson.TypeInt32:
			out[path] = float64(v.Int32())
		case bson.TypeInt64:
			out[path] = float64(v.Int64())
		case bson.TypeDouble:
			out[path] = v.Double()
		case bson.TypeEmbeddedDocument:
			flattenInto(out, path+".", v.Document(), false)
		case bson.TypeArray:
			flattenInto(out, path+".", bson.Raw(v.Array()), true)
		}
	}
}
