package main

import (
	"encoding/binary"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// sections is an OP_MSG taken apart: its body (the kind 0 section) and its
// document sequences (kind 1 sections). The driver sends the statements of
// insert, update and delete as a sequence, shell-style clients as an array
// in the body; FerretDB accepts both.
type sections struct {
	body bson.Raw
	seqs []docSequence
}

// docSequence is one kind 1 section: an identifier such as "updates" and
// the documents that the server treats as the body field of that name.
type docSequence struct {
	id   string
	docs []bson.Raw
}

// parseSections splits an OP_MSG into its sections. The documents alias m.
func parseSections(m message) (sections, error) {
	f, ok := m.flags()
	if !ok || m.opCode() != opMsg {
		return sections{}, errors.New("op_msg: not an OP_MSG")
	}
	end := len(m)
	if f&msgChecksumPresent != 0 {
		end -= 4
	}
	var o sections
	for i := headerLen + 4; i < end; {
		kind := m[i]
		i++
		if i+4 > end {
			return sections{}, errors.New("op_msg: truncated section")
		}
		size := int(int32(binary.LittleEndian.Uint32(m[i:])))
		if size < 5 || i+size > end {
			return sections{}, fmt.Errorf("op_msg: section size %d out of bounds", size)
		}
		switch kind {
		case 0:
			if o.body != nil {
				return sections{}, errors.New("op_msg: two body sections")
			}
			o.body = bson.Raw(m[i : i+size])
			if err := o.body.Validate(); err != nil {
				return sections{}, fmt.Errorf("op_msg: body: %w", err)
			}
		case 1:
			seq, err := parseSequence(m[i+4 : i+size])
			if err != nil {
				return sections{}, err
			}
			o.seqs = append(o.seqs, seq)
		default:
			return sections{}, fmt.Errorf("op_msg: unknown section kind %d", kind)
		}
		i += size
	}
	if o.body == nil {
		return sections{}, errors.New("op_msg: no body section")
	}
	return o, nil
}

// parseSequence reads a kind 1 section's payload after its size: a
// NUL-terminated identifier, then documents up to the end.
func parseSequence(b []byte) (docSequence, error) {
	n := 0
	for n < len(b) && b[n] != 0 {
		n++
	}
	if n == len(b) {
		return docSequence{}, errors.New("op_msg: sequence identifier not terminated")
	}
	seq := docSequence{id: string(b[:n])}
	for i := n + 1; i < len(b); {
		if i+4 > len(b) {
			return docSequence{}, errors.New("op_msg: truncated sequence document")
		}
		size := int(int32(binary.LittleEndian.Uint32(b[i:])))
		if size < 5 || i+size > len(b) {
			return docSequence{}, fmt.Errorf("op_msg: sequence document size %d out of bounds", size)
		}
		// Framed only: an insert's documents are FerretDB's to check, and
		// the few the devstore reads it validates when it does.
		seq.docs = append(seq.docs, bson.Raw(b[i:i+size]))
		i += size
	}
	return seq, nil
}

// sequence returns the documents of the sequence named id, if there is one.
func (o sections) sequence(id string) ([]bson.Raw, bool) {
	for _, s := range o.seqs {
		if s.id == id {
			return s.docs, true
		}
	}
	return nil, false
}

// encode builds the message with the given header ids and no flags: the
// gate has cleared moreToCome and exhaustAllowed already, and a rebuilt
// message carries no checksum, which is optional.
func (o sections) encode(requestID, responseTo int32) message {
	n := headerLen + 4 + 1 + len(o.body)
	for _, s := range o.seqs {
		n += 1 + 4 + len(s.id) + 1
		for _, d := range s.docs {
			n += len(d)
		}
	}
	b := make([]byte, headerLen+4, n)
	binary.LittleEndian.PutUint32(b, uint32(n))
	binary.LittleEndian.PutUint32(b[4:], uint32(requestID))
	binary.LittleEndian.PutUint32(b[8:], uint32(responseTo))
	binary.LittleEndian.PutUint32(b[12:], opMsg)
	for _, s := range o.seqs {
		size := 4 + len(s.id) + 1
		for _, d := range s.docs {
			size += len(d)
		}
		b = append(b, 1)
		b = binary.LittleEndian.AppendUint32(b, uint32(size))
		b = append(b, s.id...)
		b = append(b, 0)
		for _, d := range s.docs {
			b = append(b, d...)
		}
	}
	b = append(b, 0)
	b = append(b, o.body...)
	return message(b)
}

// replyBody returns the body of a server's OP_MSG reply.
func replyBody(m message) (bson.Raw, error) {
	o, err := parseSections(m)
	if err != nil {
		return nil, fmt.Errorf("reply: %w", err)
	}
	return o.body, nil
}

// newReply builds an OP_MSG reply to the request requestID whose body is doc.
func newReply(responseTo int32, doc bson.Raw) message {
	return sections{body: doc}.encode(0, responseTo)
}

// mustMarshal marshals a document the devstore builds itself from values
// it already holds as valid BSON, which cannot fail.
func mustMarshal(doc bson.D) bson.Raw {
	b, err := bson.Marshal(doc)
	if err != nil {
		panic(fmt.Sprintf("devstore: marshal %v: %v", doc, err))
	}
	return b
}

// replaceField returns doc with the value of its top-level field key
// replaced by v, every other element kept byte for byte and in order.
func replaceField(doc bson.Raw, key string, v bson.RawValue) bson.Raw {
	out := make([]byte, 4, len(doc)+len(v.Value))
	elems, _ := doc.Elements() // doc was validated when it was parsed
	for _, e := range elems {
		if e.Key() != key {
			out = append(out, e...)
			continue
		}
		out = append(out, byte(v.Type))
		out = append(out, key...)
		out = append(out, 0)
		out = append(out, v.Value...)
	}
	out = append(out, 0)
	binary.LittleEndian.PutUint32(out, uint32(len(out)))
	return out
}
