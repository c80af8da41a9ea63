package codec

import (
	"bytes"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

func key(t *testing.T, id string, fill byte) Key {
	t.Helper()
	k, err := NewKey(id, bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustCodec(t *testing.T, keys ...Key) *Codec {
	t.Helper()
	c, err := New(keys)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type address struct{ Name, Line1 string }

// TestRoundTrip: a value encrypted by one data converter decodes to the same
// value; the payload on the wire names its key and holds no plaintext.
func TestRoundTrip(t *testing.T) {
	c := mustCodec(t, key(t, "k1", 1))
	dc := c.DataConverter()
	in := address{Name: "Ada Lovelace", Line1: "12 Analytical Row"}
	p, err := dc.ToPayload(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(p.Metadata[MetadataEncoding]); got != EncodingEncrypted {
		t.Errorf("encoding %q", got)
	}
	if got := string(p.Metadata[MetadataKeyID]); got != "k1" {
		t.Errorf("key ID %q", got)
	}
	wire, _ := proto.Marshal(p)
	for _, plain := range []string{"Ada Lovelace", "Analytical", "json/plain"} {
		if bytes.Contains(wire, []byte(plain)) {
			t.Errorf("the encoded payload holds %q", plain)
		}
	}
	var out address
	if err := dc.FromPayload(p, &out); err != nil || out != in {
		t.Fatalf("decoded %+v, %v", out, err)
	}
	// Two encodings of one value differ (random nonce).
	p2, _ := dc.ToPayload(in)
	if bytes.Equal(p.Data, p2.Data) {
		t.Error("two encodings are identical: the nonce repeats")
	}
}

// TestKeyRotation: after a new key is put first, new payloads use it and
// payloads under the old key still decode; once the old key is dropped, its
// payloads are refused with an error naming the key.
func TestKeyRotation(t *testing.T) {
	old := mustCodec(t, key(t, "k1", 1))
	rotated := mustCodec(t, key(t, "k2", 2), key(t, "k1", 1))
	dropped := mustCodec(t, key(t, "k2", 2))

	before, err := old.DataConverter().ToPayload("before")
	if err != nil {
		t.Fatal(err)
	}
	after, err := rotated.DataConverter().ToPayload("after")
	if err != nil {
		t.Fatal(err)
	}
	if id := string(after.Metadata[MetadataKeyID]); id != "k2" {
		t.Errorf("rotated codec encrypts with %q, want the newest k2", id)
	}
	for _, tt := range []struct {
		p    *commonpb.Payload
		want string
	}{{before, "before"}, {after, "after"}} {
		var s string
		if err := rotated.DataConverter().FromPayload(tt.p, &s); err != nil || s != tt.want {
			t.Errorf("rotated codec decodes %q, %v; want %q", s, err, tt.want)
		}
	}
	var s string
	err = dropped.DataConverter().FromPayload(before, &s)
	if err == nil || !strings.Contains(err.Error(), `"k1"`) {
		t.Errorf("payload under a dropped key: %v", err)
	}
	if err := old.DataConverter().FromPayload(after, &s); err == nil {
		t.Error("a codec without k2 decoded a k2 payload")
	}
}

// TestPassThrough: payloads this codec did not encrypt (recorded histories,
// nil results) come out unchanged, so old histories replay.
func TestPassThrough(t *testing.T) {
	c := mustCodec(t, key(t, "k1", 1))
	plain, err := converter.GetDefaultDataConverter().ToPayload(address{Name: "Grace"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Decode([]*commonpb.Payload{plain})
	if err != nil || !proto.Equal(out[0], plain) {
		t.Fatalf("decode of a plain payload: %v, %v", out, err)
	}
	var a address
	if err := c.DataConverter().FromPayload(plain, &a); err != nil || a.Name != "Grace" {
		t.Errorf("data converter on a plain payload: %+v, %v", a, err)
	}
}

// TestTampering: a flipped byte, a relabelled key ID or a truncated payload
// is refused, never decoded into something else.
func TestTampering(t *testing.T) {
	c := mustCodec(t, key(t, "k2", 2), key(t, "k1", 1))
	enc, err := c.Encode([]*commonpb.Payload{{Metadata: map[string][]byte{"encoding": []byte("json/plain")}, Data: []byte(`"x"`)}})
	if err != nil {
		t.Fatal(err)
	}
	flip := proto.Clone(enc[0]).(*commonpb.Payload)
	flip.Data[len(flip.Data)-1] ^= 1
	relabel := proto.Clone(enc[0]).(*commonpb.Payload)
	relabel.Metadata[MetadataKeyID] = []byte("k1")
	short := proto.Clone(enc[0]).(*commonpb.Payload)
	short.Data = short.Data[:5]
	for name, p := range map[string]*commonpb.Payload{"flipped": flip, "relabelled": relabel, "truncated": short} {
		if _, err := c.Decode([]*commonpb.Payload{p}); err == nil {
			t.Errorf("%s payload decoded", name)
		}
	}
}

func TestParseKeys(t *testing.T) {
	good := "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=" // 32 bytes of 1
	keys, err := ParseKeys(" k2:" + good + " , k1:" + good + ",")
	if err != nil || len(keys) != 2 || keys[0].ID != "k2" || keys[1].ID != "k1" {
		t.Fatalf("ParseKeys = %v, %v", keys, err)
	}
	if s := keys.String(); s != "[k2 k1]" || strings.Contains(s, good) {
		t.Errorf("String = %q", s)
	}
	if keys, err := ParseKeys(""); err != nil || len(keys) != 0 {
		t.Errorf("empty: %v, %v", keys, err)
	}
	for _, bad := range []string{"k1", ":" + good, "k 1:" + good, "k1:short", "k1:" + good + ",k1:" + good, "k1:" + good[:20]} {
		_, err := ParseKeys(bad)
		if err == nil {
			t.Errorf("%q accepted", bad)
		} else if strings.Contains(err.Error(), good[:20]) {
			t.Errorf("%q: the error quotes the key: %v", bad, err)
		}
	}
	gen, err := GenerateKey("dev1")
	if err != nil {
		t.Fatal(err)
	}
	if keys, err := ParseKeys(gen); err != nil || len(keys) != 1 || keys[0].ID != "dev1" {
		t.Errorf("a generated key does not parse: %v", err)
	}
	if _, err := New(nil); err == nil {
		t.Error("a codec without keys")
	}
}
