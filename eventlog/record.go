package eventlog

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
)

// The record format (see doc.go for the table). All integers are little-endian.
const (
	formatVersion = 1

	offLength  = 0  // uint32: bytes in the whole record, this field included
	offCRC     = 4  // uint32: CRC-32C of bytes [0,4) and [8,length)
	offVersion = 8  // uint8: formatVersion
	offType    = 9  // uint8: event type
	offFlags   = 10 // uint8: FlagCommit, other bits zero
	offSeq     = 11 // uint64: global sequence number
	offTime    = 19 // int64: commit time, unix nanoseconds
	offTxID    = 27 // uint64: transaction id
	headerSize = 35 // payload follows the header; the 32-byte chain hash follows the payload

	hashSize      = sha256.Size
	minRecordSize = headerSize + hashSize
	maxRecordSize = minRecordSize + MaxPayload
)

// MaxPayload is the largest payload one entry may carry (64 MiB). The bound lets a reader reject
// a damaged length field before allocating for it.
const MaxPayload = 64 << 20

// FlagCommit marks the last record of a transaction's batch. Records after the last commit
// marker belong to a batch whose write never completed; recovery drops them.
const FlagCommit uint8 = 1

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Hash is a SHA-256 chain hash: the hash stored in record n is SHA-256(hash of record n-1 ‖
// record n's content), with 32 zero bytes before record 1. Equal hashes at a seq mean equal
// histories up to it, which is what snapshots pin.
type Hash [32]byte

// String returns the hash in hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// Entry is what a caller appends: an event type and its opaque payload. The engine never looks
// inside the payload; Encode and Decode (events.go) give it meaning.
type Entry struct {
	Type    Type
	Payload []byte
}

// Record is one entry as stored: its payload plus the envelope the log assigned to it.
type Record struct {
	Seq     uint64 // global sequence number, gapless from 1
	Time    int64  // commit time of the record's transaction, unix nanoseconds
	TxID    uint64 // transaction id, gapless from 1; shared by a batch's records
	Type    Type
	Flags   uint8 // FlagCommit on the last record of a batch
	Payload []byte
	Hash    Hash // the chain hash after this record
}

// Commit reports whether r is the last record of its transaction.
func (r Record) Commit() bool { return r.Flags&FlagCommit != 0 }

// The framing failures a reader can meet. They are "torn-tail candidates": a crash in the middle
// of a write produces exactly these, and recover.go decides from their position whether they are.
var (
	errShortRecord = errors.New("incomplete record")
	errBadLength   = errors.New("record length out of range")
	errChecksum    = errors.New("checksum mismatch")
)

// hasher computes chain hashes: SHA-256(prev ‖ content), content being a record's bytes from the
// version byte to the end of the payload. The length and CRC are left out: they are framing,
// and the CRC also covers the hash, so hashing it would be circular. A hasher reuses its state
// and output buffer, so hashing a record allocates nothing.
type hasher struct {
	h    hash.Hash
	prev Hash // prev is copied here: passing a stack array's slice to h.Write would move it to the heap
	sum  []byte
}

func newHasher() *hasher { return &hasher{h: sha256.New(), sum: make([]byte, 0, hashSize)} }

func (x *hasher) chain(prev Hash, content []byte) Hash {
	x.h.Reset()
	x.prev = prev
	x.h.Write(x.prev[:])
	x.h.Write(content)
	x.sum = x.h.Sum(x.sum[:0])
	return Hash(x.sum)
}

// appendRecord appends r's framed encoding to buf, chaining it to prev. It sets r.Hash and
// returns the extended buffer.
func appendRecord(buf []byte, h *hasher, prev Hash, r *Record) []byte {
	start := len(buf)
	n := minRecordSize + len(r.Payload)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(n))
	buf = binary.LittleEndian.AppendUint32(buf, 0) // CRC, filled in below
	buf = append(buf, formatVersion, byte(r.Type), r.Flags)
	buf = binary.LittleEndian.AppendUint64(buf, r.Seq)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(r.Time))
	buf = binary.LittleEndian.AppendUint64(buf, r.TxID)
	buf = append(buf, r.Payload...)
	rec := buf[start:]
	r.Hash = h.chain(prev, rec[offVersion:])
	buf = append(buf, r.Hash[:]...)
	rec = buf[start:]
	binary.LittleEndian.PutUint32(rec[offCRC:], recordCRC(rec))
	return buf
}

func recordCRC(rec []byte) uint32 {
	return crc32.Update(crc32.Update(0, crcTable, rec[:offCRC]), crcTable, rec[offVersion:])
}

// frameLength reads a record's length field from b, which must hold at least 4 bytes, and
// checks it is a possible record size.
func frameLength(b []byte) (int, error) {
	n := binary.LittleEndian.Uint32(b)
	if n < minRecordSize || n > maxRecordSize {
		return 0, fmt.Errorf("%w: %d", errBadLength, n)
	}
	return int(n), nil
}

// decodeRecord decodes the record at the front of b and returns it with its size. It checks the
// framing and checksum, then the version and flags; it does not check the chain (the caller
// knows the previous hash). Payload aliases b. It never panics, whatever b holds.
func decodeRecord(b []byte) (Record, int, error) {
	if len(b) < 4 {
		return Record{}, 0, errShortRecord
	}
	n, err := frameLength(b)
	if err != nil {
		return Record{}, 0, err
	}
	if n > len(b) {
		return Record{}, 0, fmt.Errorf("%w: length %d runs past the end", errShortRecord, n)
	}
	rec := b[:n]
	if recordCRC(rec) != binary.LittleEndian.Uint32(rec[offCRC:]) {
		return Record{}, 0, errChecksum
	}
	r, err := parseRecord(rec)
	return r, n, err
}

// parseRecord splits a checksummed frame into its fields, rejecting versions and flags this
// code does not know. A checksum-valid frame with such fields was written that way, so these
// are never torn-tail candidates.
func parseRecord(rec []byte) (Record, error) {
	if v := rec[offVersion]; v != formatVersion {
		return Record{}, fmt.Errorf("unsupported record version %d", v)
	}
	if f := rec[offFlags]; f&^FlagCommit != 0 {
		return Record{}, fmt.Errorf("unknown flags %#x", f)
	}
	r := Record{
		Type:    Type(rec[offType]),
		Flags:   rec[offFlags],
		Seq:     binary.LittleEndian.Uint64(rec[offSeq:]),
		Time:    int64(binary.LittleEndian.Uint64(rec[offTime:])),
		TxID:    binary.LittleEndian.Uint64(rec[offTxID:]),
		Payload: rec[headerSize : len(rec)-hashSize],
	}
	copy(r.Hash[:], rec[len(rec)-hashSize:])
	return r, nil
}

// isFraming reports whether err is a framing failure (a torn-tail candidate).
func isFraming(err error) bool {
	return errors.Is(err, errShortRecord) || errors.Is(err, errBadLength) || errors.Is(err, errChecksum)
}
