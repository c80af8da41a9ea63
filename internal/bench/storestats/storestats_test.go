package storestats

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func raw(t *testing.T, d bson.D) bson.Raw {
	t.Helper()
	b, err := bson.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCommandCountsShapes reads the per-command counts from each shape an
// answer may take: FerretDB's serverStatus, and a devstoreStats that keeps
// plain numbers, documents with a count, or a list of named documents.
func TestCommandCountsShapes(t *testing.T) {
	tests := []struct {
		name   string
		doc    bson.D
		prefix string
		want   map[string]float64
	}{
		{"serverStatus", bson.D{{Key: "metrics", Value: bson.D{{Key: "commands", Value: bson.D{
			{Key: "find", Value: bson.D{{Key: "total", Value: int64(7)}, {Key: "failed", Value: int64(1)}}},
			{Key: "insert", Value: bson.D{{Key: "total", Value: int64(2)}, {Key: "failed", Value: int64(0)}}},
		}}}}, {Key: "ok", Value: 1.0}}, "metrics.commands.", map[string]float64{"find": 7, "insert": 2}},
		{"numbers", bson.D{{Key: "commands", Value: bson.D{{Key: "find", Value: int32(3)}, {Key: "update", Value: 4.0}}}},
			"commands.", map[string]float64{"find": 3, "update": 4}},
		{"documents", bson.D{{Key: "commands", Value: bson.D{
			{Key: "find", Value: bson.D{{Key: "backendSeconds", Value: 0.5}, {Key: "count", Value: int64(9)}}},
			{Key: "getMore", Value: bson.D{{Key: "requests", Value: int64(5)}}},
		}}}, "commands.", map[string]float64{"find": 9, "getMore": 5}},
		{"devstore", bson.D{{Key: "uptimeNanos", Value: int64(9)}, {Key: "commands", Value: bson.D{
			{Key: "find", Value: bson.D{{Key: "requests", Value: int64(12)}, {Key: "gated", Value: int64(12)}, {Key: "backendNanos", Value: int64(800)}}},
			{Key: "hello", Value: bson.D{{Key: "requests", Value: int64(2)}, {Key: "gated", Value: int64(0)}}},
		}}}, "commands.", map[string]float64{"find": 12, "hello": 2}},
		{"named list", bson.D{{Key: "commands", Value: bson.A{
			bson.D{{Key: "name", Value: "find"}, {Key: "count", Value: int64(11)}},
			bson.D{{Key: "command", Value: "delete"}, {Key: "n", Value: int64(1)}},
		}}}, "commands.", map[string]float64{"find": 11, "delete": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := commandCounts(flatten(raw(t, tt.doc)), tt.prefix)
			if len(got) != len(tt.want) {
				t.Fatalf("counts %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Fatalf("counts %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// TestSubLeavesOwnRequestsOut: the snapshots' own commands are not the
// workload's.
func TestSubLeavesOwnRequestsOut(t *testing.T) {
	prev := Snapshot{Source: SourceDevstore, Commands: map[string]float64{"find": 10, "devstoreStats": 1},
		Fields: map[string]float64{"gate.waitSeconds": 1, "cpuSeconds": 4, "commands.find.requests": 10, "commands.find.backendNanos": 100}}
	next := Snapshot{Source: SourceDevstore, Commands: map[string]float64{"find": 25, "update": 5, "devstoreStats": 2},
		Fields: map[string]float64{"gate.waitSeconds": 1.5, "cpuSeconds": 4, "commands.find.requests": 25,
			"commands.find.backendNanos": 400, "commands.update.backendNanos": 50, "commands.devstoreStats.backendNanos": 9, "ok": 1}}
	d := next.Sub(prev)
	if d.Requests != 20 || d.ByCommand["find"] != 15 || d.ByCommand["update"] != 5 || d.ByCommand["devstoreStats"] != 0 {
		t.Fatalf("delta %+v, want 20 requests: find 15, update 5", d)
	}
	if len(d.Fields) != 2 || d.Fields["gate.waitSeconds"] != 0.5 || d.Fields["commands.*.backendNanos"] != 350 {
		t.Fatalf("fields %v, want gate.waitSeconds 0.5 and commands.*.backendNanos 350 (the workload's, summed)", d.Fields)
	}
	if d := next.Sub(Snapshot{Source: SourceServerStatus}); d.Requests != 0 || d.Source == SourceDevstore {
		t.Fatalf("delta across sources %+v, want zero and both named", d)
	}
}
