package database

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/eventsql/eventsql/eventlog"
)

// This file is backup and restore. A backup is the log up to one committed seq — the only truth;
// everything else is rebuilt from it — taken while writes go on, as a tar:
//
//	manifest.json           {"format":1, "seq", "hash", "id", "created"}
//	events/000001.bin …     the records 1..seq in chunks of about 4 MiB, each record framed as
//	                        uvarint seq, uvarint txid, varint time (unix ns), byte type,
//	                        32-byte chain hash, uvarint payload length, payload; then a
//	                        CRC-32C (Castagnoli) of the chunk's records, little-endian
//
// Restore appends the records to a new log one transaction at a time, with each transaction's
// original commit time, so every seq, txid, time and therefore every chain hash comes out
// identical: the restored log ends at exactly the manifest's seq and hash, or Restore fails.
// Records rather than segment files keep the format independent of how the log lays out its
// files, and make the copy consistent without stopping the writer: it reads by seq, and
// records up to a committed seq never change.

const backupFormat = 1

// chunkBytes is about how large each events/*.bin file grows (a variable for tests).
var chunkBytes = 4 << 20

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Manifest describes a backup.
type Manifest struct {
	Format  int       `json:"format"`
	Seq     uint64    `json:"seq"`  // the last event in the backup
	Hash    string    `json:"hash"` // the chain hash after it (hex)
	ID      string    `json:"id"`   // the database's ID (see DB.ID)
	Created time.Time `json:"created"`
}

// ErrBadBackup is returned by Restore for a file that is not a backup of this format, is
// truncated, or whose records do not reproduce the manifest's hash.
var ErrBadBackup = errors.New("database: not a valid backup")

// Backup writes a consistent backup of every event committed when it is called, while writes
// continue, and returns its manifest.
func (db *DB) Backup(ctx context.Context, w io.Writer) (Manifest, error) {
	if db.isClosed() {
		return Manifest{}, ErrClosed
	}
	return backupLog(ctx, db.log, w)
}

// BackupDir writes a backup of the closed data directory dir (taking its lock meanwhile).
func BackupDir(dir string, w io.Writer) (Manifest, error) {
	lock, err := lockDir(dir)
	if err != nil {
		return Manifest{}, err
	}
	defer lock.Close()
	lg, err := eventlog.Open(filepath.Join(dir, "log"), &eventlog.Options{Durability: eventlog.DurabilityOff})
	if err != nil {
		return Manifest{}, fmt.Errorf("database: open log in %s: %w", dir, err)
	}
	defer lg.Close()
	return backupLog(context.Background(), lg, w)
}

func backupLog(ctx context.Context, lg *eventlog.Log, w io.Writer) (Manifest, error) {
	seq, hash := lg.Head()
	m := Manifest{Format: backupFormat, Seq: seq, Hash: hash.String(), Created: time.Now().UTC()}
	if seq > 0 {
		first, err := lg.HashAt(1)
		if err != nil {
			return m, err
		}
		m.ID = first.String()
	}
	tw := tar.NewWriter(w)
	manifest, _ := json.MarshalIndent(m, "", "  ")
	if err := writeTarFile(tw, "manifest.json", manifest); err != nil {
		return m, err
	}
	var chunk []byte
	n := 0
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		n++
		chunk = binary.LittleEndian.AppendUint32(chunk, crc32.Checksum(chunk, castagnoli))
		err := writeTarFile(tw, fmt.Sprintf("events/%06d.bin", n), chunk)
		chunk = chunk[:0]
		return err
	}
	err := lg.ScanBorrowed(1, seq, func(r *eventlog.Record) error {
		chunk = binary.AppendUvarint(chunk, r.Seq)
		chunk = binary.AppendUvarint(chunk, r.TxID)
		chunk = binary.AppendVarint(chunk, r.Time)
		chunk = append(chunk, byte(r.Type))
		chunk = append(chunk, r.Hash[:]...)
		chunk = binary.AppendUvarint(chunk, uint64(len(r.Payload)))
		chunk = append(chunk, r.Payload...)
		if len(chunk) >= chunkBytes {
			if err := flush(); err != nil {
				return err
			}
			return ctx.Err()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil {
		err = tw.Close()
	}
	return m, err
}

func writeTarFile(tw *tar.Writer, name string, data []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: time.Now()}); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

// Restore creates the data directory dir (which must not exist or be empty) from a backup read
// from r, checks that the restored log ends at the manifest's seq and hash, opens the database
// once to build its state and snapshot, and returns the manifest.
func Restore(r io.Reader, dir string) (Manifest, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return Manifest{}, fmt.Errorf("database: restore into %s: the directory is not empty", dir)
	}
	tr := tar.NewReader(r)
	hdr, err := tr.Next()
	if err != nil || hdr.Name != "manifest.json" {
		return Manifest{}, fmt.Errorf("%w: no manifest.json first", ErrBadBackup)
	}
	var m Manifest
	if err := json.NewDecoder(tr).Decode(&m); err != nil || m.Format != backupFormat {
		return m, fmt.Errorf("%w: unreadable manifest or unknown format", ErrBadBackup)
	}
	var batchTime int64
	lg, err := eventlog.Open(filepath.Join(dir, "log"), &eventlog.Options{
		Durability: eventlog.DurabilityOff, Keys: eventlog.EventKeys,
		Now: func() time.Time { return time.Unix(0, batchTime) },
	})
	if err != nil {
		return m, fmt.Errorf("database: restore: %w", err)
	}
	rs := restorer{lg: lg, time: &batchTime}
	for err == nil {
		if hdr, err = tr.Next(); err == nil {
			var data []byte
			if data, err = io.ReadAll(tr); err == nil {
				err = rs.chunk(data)
			}
		}
	}
	if errors.Is(err, io.EOF) {
		err = rs.flush()
	}
	if err == nil {
		// Make the whole restored log durable before it counts as restored.
		lg.SetDurability(eventlog.DurabilityAlways, 0)
		if seq, h := lg.Head(); seq != m.Seq || h.String() != m.Hash {
			err = fmt.Errorf("%w: restored log ends at seq %d hash %s, the manifest says seq %d hash %s", ErrBadBackup, seq, h, m.Seq, m.Hash)
		}
	}
	if cerr := lg.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return m, err
	}
	db, err := Open(dir, nil)
	if err != nil {
		return m, err
	}
	return m, db.Close()
}

// restorer appends a backup's records to a log, one original transaction per batch.
type restorer struct {
	lg      *eventlog.Log
	time    *int64
	batch   []eventlog.Entry
	txid    uint64
	btime   int64
	hash    eventlog.Hash
	lastSeq uint64
}

func (rs *restorer) chunk(b []byte) error {
	if len(b) < 4 || crc32.Checksum(b[:len(b)-4], castagnoli) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return fmt.Errorf("%w: checksum mismatch in the records after seq %d", ErrBadBackup, rs.lastSeq)
	}
	b = b[:len(b)-4]
	for len(b) > 0 {
		d := bytes.NewReader(b)
		seq, err1 := binary.ReadUvarint(d)
		txid, err2 := binary.ReadUvarint(d)
		t, err3 := binary.ReadVarint(d)
		typ, err4 := d.ReadByte()
		var h eventlog.Hash
		_, err5 := io.ReadFull(d, h[:])
		n, err6 := binary.ReadUvarint(d)
		if err := errors.Join(err1, err2, err3, err4, err5, err6); err != nil || n > uint64(d.Len()) || seq != rs.lastSeq+1 {
			return fmt.Errorf("%w: damaged record after seq %d", ErrBadBackup, rs.lastSeq)
		}
		payload := make([]byte, n)
		_, _ = io.ReadFull(d, payload)
		b = b[len(b)-d.Len():]
		if txid != rs.txid {
			if err := rs.flush(); err != nil {
				return err
			}
			rs.txid, rs.btime = txid, t
		}
		rs.batch = append(rs.batch, eventlog.Entry{Type: eventlog.Type(typ), Payload: payload})
		rs.hash, rs.lastSeq = h, seq
	}
	return nil
}

// flush appends the transaction gathered so far with its original commit time and checks it
// got the original txid and chain hash.
func (rs *restorer) flush() error {
	if len(rs.batch) == 0 {
		return nil
	}
	*rs.time = rs.btime
	res, err := rs.lg.Append(rs.batch)
	rs.batch = rs.batch[:0]
	if err != nil {
		return fmt.Errorf("database: restore: %w", err)
	}
	if res.TxID != rs.txid || res.Hash != rs.hash {
		return fmt.Errorf("%w: transaction %d does not reproduce its chain hash", ErrBadBackup, rs.txid)
	}
	return nil
}
