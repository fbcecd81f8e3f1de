package eventlog

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// genesisRecord encodes one valid first record of a log.
func genesisRecord(payload []byte, flags uint8) []byte {
	r := Record{Seq: 1, Time: 1_700_000_000_000_000_000, TxID: 1, Type: TypeRowInserted, Flags: flags, Payload: payload}
	return appendRecord(nil, newHasher(), Hash{}, &r)
}

func TestRecordLayout(t *testing.T) {
	b := genesisRecord([]byte("hello"), FlagCommit)
	require.Len(t, b, minRecordSize+5)
	assert.Equal(t, uint32(len(b)), binary.LittleEndian.Uint32(b[offLength:]))
	assert.Equal(t, byte(formatVersion), b[offVersion])
	assert.Equal(t, byte(TypeRowInserted), b[offType])
	assert.Equal(t, FlagCommit, b[offFlags])
	assert.Equal(t, uint64(1), binary.LittleEndian.Uint64(b[offSeq:]))
	assert.Equal(t, []byte("hello"), b[headerSize:headerSize+5])
	want := sha256.Sum256(append(make([]byte, 32), b[offVersion:headerSize+5]...))
	assert.Equal(t, want[:], b[len(b)-hashSize:], "hash = SHA-256(zero genesis hash ‖ version..payload)")

	r, n, err := decodeRecord(append(b, 0xAA)) // trailing bytes belong to the next record
	require.NoError(t, err)
	assert.Equal(t, len(b), n)
	assert.Equal(t, Record{Seq: 1, Time: 1_700_000_000_000_000_000, TxID: 1, Type: TypeRowInserted,
		Flags: FlagCommit, Payload: []byte("hello"), Hash: Hash(want)}, r)
	assert.True(t, r.Commit())
}

func TestDecodeRecordErrors(t *testing.T) {
	good := genesisRecord([]byte("payload"), FlagCommit)
	withCRC := func(f func(b []byte)) []byte {
		b := bytes.Clone(good)
		f(b)
		binary.LittleEndian.PutUint32(b[offCRC:], recordCRC(b))
		return b
	}
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "incomplete record"},
		{"three bytes", good[:3], "incomplete record"},
		{"length below minimum", []byte{10, 0, 0, 0, 1, 2, 3, 4}, "record length out of range"},
		{"length above maximum", binary.LittleEndian.AppendUint32(nil, maxRecordSize+1), "record length out of range"},
		{"cut short", good[:len(good)-1], "runs past the end"},
		{"flipped bit", func() []byte { b := bytes.Clone(good); b[20] ^= 4; return b }(), "checksum mismatch"},
		{"version 0", withCRC(func(b []byte) { b[offVersion] = 0 }), "unsupported record version 0"},
		{"unknown flag", withCRC(func(b []byte) { b[offFlags] = 2 }), "unknown flags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := decodeRecord(tt.in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// FuzzRecord feeds arbitrary bytes to the record decoder, the chain check and the streaming
// reader. None may panic, and bytes are accepted as a first record only if they are exactly what
// the encoder writes for that record: a random input would need a valid CRC and a SHA-256 preimage.
func FuzzRecord(f *testing.F) {
	good := genesisRecord([]byte("seed payload"), FlagCommit)
	f.Add(good)
	f.Add(genesisRecord(nil, 0))
	f.Add(good[:40])
	f.Add(append(bytes.Clone(good), good...))
	f.Add(make([]byte, 100))
	f.Add([]byte{67, 0, 0, 0})
	flipped := bytes.Clone(good)
	flipped[headerSize] ^= 1
	f.Add(flipped)
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := newFrameReader(bytes.NewReader(data), 0, int64(len(data)))
		for {
			if _, err := fr.next(); err != nil {
				if err != io.EOF && !isFraming(err) {
					t.Fatalf("unexpected reader error %v", err)
				}
				break
			}
		}
		validFrameAfter(data)

		r, n, err := decodeRecord(data)
		if err != nil {
			return
		}
		if n < minRecordSize || n > len(data) {
			t.Fatalf("decoded size %d of %d bytes", n, len(data))
		}
		c := chain{hasher: newHasher()}
		if c.check(&r, data[:n]) != "" {
			return
		}
		again := appendRecord(nil, newHasher(), Hash{}, &Record{Seq: r.Seq, Time: r.Time, TxID: r.TxID,
			Type: r.Type, Flags: r.Flags, Payload: r.Payload})
		if !bytes.Equal(again, data[:n]) {
			t.Fatalf("accepted bytes that the encoder would not write:\n%x\n%x", data[:n], again)
		}
	})
}

func TestFramingErrorsAreTornCandidates(t *testing.T) {
	for _, err := range []error{errShortRecord, errBadLength, errChecksum} {
		assert.True(t, isFraming(err))
	}
	assert.False(t, isFraming(errors.New("unsupported record version 2")))
	assert.False(t, isFraming(io.ErrUnexpectedEOF))
}

// BenchmarkChainHash measures the hash chain alone on a record with a 100-byte payload: the
// per-record cost the chain adds to Append, Open and Verify.
func BenchmarkChainHash(b *testing.B) {
	rec := genesisRecord(make([]byte, 100), FlagCommit)
	h := newHasher()
	var prev Hash
	b.SetBytes(int64(len(rec)))
	for b.Loop() {
		prev = h.chain(prev, rec[offVersion:len(rec)-hashSize])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
