package storage

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/eventsql/eventsql/catalog"
	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// Snapshot file format (all integers little-endian; uvarint = encoding/binary varint):
//
//	offset  size  field
//	0       8     magic "ESQLSNAP"
//	8       4     format version (4; 1 to 3 are still read, see below)
//	12      8     seq: the state is the result of events 1..seq
//	20      8     commit time of the event at seq (unix nanos)
//	28      32    the log's chain hash after seq (eventlog.Log.HashAt)
//	60      8     largest row id used
//	68      8     largest table id used
//	76      …     catalog: uvarint #tables, then per table (ascending id): uvarint id,
//	              uvarint #versions, then per version: uvarint seq, 1 byte dropped,
//	              eventlog.AppendTable(definition), then (format 3) eventlog.AppendConstraints(definition)
//	…       …     rows: uvarint #live tables, then per table (ascending id): uvarint id,
//	              uvarint #rows, then per row (ascending row id): uvarint row id,
//	              uvarint version, schema.AppendRow(row)
//	…       …     serials (format 4): uvarint #counters, then per SERIAL column of a live
//	              table: uvarint table id, uvarint column id, varint largest value held
//	…       …     views (format version 2 and later): uvarint #views, then per view (ascending
//	              id): uvarint id, uvarint #versions, then per version: uvarint seq,
//	              1 byte dropped, eventlog.AppendView(definition)
//	end-4   4     CRC-32C (Castagnoli) of every byte before it
//
// Indexes are not stored: they are rebuilt from the rows on load, which keeps the format
// independent of how indexes are organized. Older files are still read: version 1 (written
// before views existed) holds no views and no constraints sections, version 2 (before CHECK
// and FOREIGN KEY) no constraints sections, version 3 (before SERIAL) no serials section.
const (
	snapshotMagic   = "ESQLSNAP"
	snapshotVersion = 4
	snapshotHeader  = 76
	snapshotExt     = ".snap"
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

func snapshotName(seq uint64) string { return fmt.Sprintf("%020d%s", seq, snapshotExt) }

// snapshotSeqs lists the seqs of the snapshot files in the directory, newest first.
func (st *Store) snapshotSeqs() []uint64 {
	ents, err := os.ReadDir(st.dir)
	if err != nil {
		return nil
	}
	var seqs []uint64
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), snapshotExt)
		if !ok {
			continue
		}
		if seq, err := strconv.ParseUint(name, 10, 64); err == nil {
			seqs = append(seqs, seq)
		}
	}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] > seqs[j] })
	return seqs
}

// removeTemps deletes temporary files left by a snapshot write that crashed.
func removeTemps(dir string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "tmp-*"))
	for _, m := range matches {
		os.Remove(m)
	}
}

// writeSnapshot writes a snapshot of s (unless one at its seq or later exists) and prunes the
// oldest beyond KeepSnapshots. It is atomic: a temp file is written and fsynced, renamed into
// place, and the directory fsynced, so a crash leaves either no file or a complete one.
func (st *Store) writeSnapshot(s *State) error {
	st.snapMu.Lock()
	defer st.snapMu.Unlock()
	if s.seq == 0 || s.seq <= st.lastSnap.Load() {
		return nil
	}
	hash, err := st.log.HashAt(s.seq)
	if err != nil {
		return fmt.Errorf("storage: snapshot at seq %d: %w", s.seq, err)
	}
	if err := writeSnapshotFile(st.dir, s, hash); err != nil {
		return err
	}
	st.lastSnap.Store(s.seq)
	// Prune: keep the newest KeepSnapshots. A failed remove only costs disk space.
	seqs := st.snapshotSeqs()
	for _, seq := range seqs[min(st.opts.KeepSnapshots, len(seqs)):] {
		os.Remove(filepath.Join(st.dir, snapshotName(seq)))
	}
	return nil
}

func writeSnapshotFile(dir string, s *State, hash eventlog.Hash) (err error) {
	f, err := os.CreateTemp(dir, "tmp-*")
	if err != nil {
		return fmt.Errorf("storage: creating snapshot: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	crc := crc32.New(crcTable)
	w := bufio.NewWriterSize(io.MultiWriter(f, crc), 1<<16)
	if err = encodeSnapshot(w, s, hash); err != nil {
		return fmt.Errorf("storage: writing snapshot: %w", err)
	}
	if err = w.Flush(); err != nil {
		return fmt.Errorf("storage: writing snapshot: %w", err)
	}
	if _, err = f.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32())); err != nil {
		return fmt.Errorf("storage: writing snapshot: %w", err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("storage: syncing snapshot: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("storage: closing snapshot: %w", err)
	}
	if err = os.Rename(f.Name(), filepath.Join(dir, snapshotName(s.seq))); err != nil {
		return fmt.Errorf("storage: installing snapshot: %w", err)
	}
	return syncDir(dir)
}

// syncDir fsyncs a directory so that a rename in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("storage: syncing snapshot directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("storage: syncing snapshot directory: %w", err)
	}
	return nil
}

// encodeSnapshot writes everything but the checksum trailer.
func encodeSnapshot(w *bufio.Writer, s *State, hash eventlog.Hash) error {
	buf := append([]byte(snapshotMagic), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(buf[8:], snapshotVersion)
	buf = binary.LittleEndian.AppendUint64(buf, s.seq)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(s.time))
	buf = append(buf, hash[:]...)
	buf = binary.LittleEndian.AppendUint64(buf, s.maxRowID)
	buf = binary.LittleEndian.AppendUint64(buf, s.maxTableID)
	ids := s.cat.IDs()
	buf = binary.AppendUvarint(buf, uint64(len(ids)))
	for _, id := range ids {
		vs := s.cat.Versions(id)
		buf = binary.AppendUvarint(buf, id)
		buf = binary.AppendUvarint(buf, uint64(len(vs)))
		for _, v := range vs {
			buf = binary.AppendUvarint(buf, v.Seq)
			buf = append(buf, boolByte(v.Dropped))
			buf = eventlog.AppendTable(buf, v.Table)
			buf = eventlog.AppendConstraints(buf, v.Table)
		}
	}
	live := make([]uint64, 0, len(s.tables))
	for id := range s.tables {
		live = append(live, id)
	}
	sort.Slice(live, func(i, j int) bool { return live[i] < live[j] })
	buf = binary.AppendUvarint(buf, uint64(len(live)))
	for _, id := range live {
		t := s.tables[id]
		buf = binary.AppendUvarint(buf, id)
		buf = binary.AppendUvarint(buf, uint64(t.Len()))
		var err error
		t.rows.Ascend(func(it rowItem) bool {
			buf = binary.AppendUvarint(buf, it.id)
			buf = binary.AppendUvarint(buf, it.version)
			buf = schema.AppendRow(buf, it.row)
			if len(buf) >= 1<<16 {
				_, err = w.Write(buf)
				buf = buf[:0]
			}
			return err == nil
		})
		if err != nil {
			return err
		}
	}
	buf = appendSnapshotViews(buf, s.cat)
	buf = appendSnapshotSerials(buf, s, live)
	_, err := w.Write(buf)
	return err
}

// appendSnapshotSerials appends the serial counters section: for every SERIAL column of a live
// table, the largest value it has held. Rows alone cannot tell it once the largest was deleted.
func appendSnapshotSerials(buf []byte, s *State, live []uint64) []byte {
	type counter struct {
		table uint64
		col   uint32
		max   int64
	}
	var cs []counter
	for _, id := range live {
		t := s.tables[id]
		for _, col := range t.def.Columns {
			if col.Serial {
				cs = append(cs, counter{id, col.ID, t.SerialMax(col.ID)})
			}
		}
	}
	buf = binary.AppendUvarint(buf, uint64(len(cs)))
	for _, c := range cs {
		buf = binary.AppendUvarint(binary.AppendUvarint(buf, c.table), uint64(c.col))
		buf = binary.AppendVarint(buf, c.max)
	}
	return buf
}

// appendSnapshotViews appends the views section: every version of every view.
func appendSnapshotViews(buf []byte, c *catalog.Catalog) []byte {
	ids := c.ViewIDs()
	buf = binary.AppendUvarint(buf, uint64(len(ids)))
	for _, id := range ids {
		vs := c.ViewVersions(id)
		buf = binary.AppendUvarint(binary.AppendUvarint(buf, id), uint64(len(vs)))
		for _, v := range vs {
			buf = append(binary.AppendUvarint(buf, v.Seq), boolByte(v.Dropped))
			buf = eventlog.AppendView(buf, v.View)
		}
	}
	return buf
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// loadSnapshot reads the snapshot at seq and checks it against the log: ErrSnapshotCorrupt if
// its checksum or contents are bad, ErrSnapshotStale if its hash differs from the log's.
func (st *Store) loadSnapshot(seq uint64) (*State, error) {
	s, _, err := st.loadSnapshotHash(seq)
	return s, err
}

// loadSnapshotHash is loadSnapshot that also returns the chain hash the snapshot pins.
func (st *Store) loadSnapshotHash(seq uint64) (*State, eventlog.Hash, error) {
	path := filepath.Join(st.dir, snapshotName(seq))
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, eventlog.Hash{}, fmt.Errorf("storage: reading snapshot: %w", err)
	}
	s, hash, err := decodeSnapshot(data)
	if err != nil {
		return nil, eventlog.Hash{}, fmt.Errorf("%s: %w", path, err)
	}
	if s.seq != seq {
		return nil, eventlog.Hash{}, fmt.Errorf("%w: %s holds seq %d", ErrSnapshotCorrupt, path, s.seq)
	}
	want, err := st.log.HashAt(seq)
	if err != nil {
		return nil, eventlog.Hash{}, fmt.Errorf("%w: %s: log has no hash at seq %d: %v", ErrSnapshotStale, path, seq, err)
	}
	if want != hash {
		return nil, eventlog.Hash{}, fmt.Errorf("%w: %s: chain hash at seq %d differs from the log's", ErrSnapshotStale, path, seq)
	}
	return s, hash, nil
}

// decodeSnapshot checks the checksum and decodes a whole snapshot file.
func decodeSnapshot(data []byte) (*State, eventlog.Hash, error) {
	var hash eventlog.Hash
	if len(data) < snapshotHeader+4 {
		return nil, hash, fmt.Errorf("%w: %d bytes is too short", ErrSnapshotCorrupt, len(data))
	}
	body, trailer := data[:len(data)-4], data[len(data)-4:]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(trailer) {
		return nil, hash, fmt.Errorf("%w: checksum mismatch", ErrSnapshotCorrupt)
	}
	if string(body[:8]) != snapshotMagic {
		return nil, hash, fmt.Errorf("%w: bad magic", ErrSnapshotCorrupt)
	}
	version := binary.LittleEndian.Uint32(body[8:])
	if version < 1 || version > snapshotVersion {
		return nil, hash, fmt.Errorf("%w: unknown format version %d", ErrSnapshotCorrupt, version)
	}
	s := NewState()
	s.seq = binary.LittleEndian.Uint64(body[12:])
	s.time = int64(binary.LittleEndian.Uint64(body[20:]))
	copy(hash[:], body[28:60])
	s.maxRowID = binary.LittleEndian.Uint64(body[60:])
	s.maxTableID = binary.LittleEndian.Uint64(body[68:])
	d := &decoder{buf: body[snapshotHeader:], constraints: version >= 3}
	s.cat = d.catalog()
	d.rows(s)
	if version >= 2 {
		d.views(s.cat)
	}
	if version >= 4 {
		d.serials(s)
	}
	if d.err == nil && len(d.buf) != 0 {
		d.err = fmt.Errorf("%d bytes after the last section", len(d.buf))
	}
	if d.err != nil {
		return nil, hash, fmt.Errorf("%w: %v", ErrSnapshotCorrupt, d.err)
	}
	return s, hash, nil
}

// decoder reads the variable part of a snapshot, remembering the first error.
type decoder struct {
	buf []byte
	err error
	// constraints is set from format 3 on, where each table definition is followed by its
	// constraints section.
	constraints bool
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.err = errors.New("bad varint")
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

// count reads a length and refuses one larger than the bytes left (each item takes at least
// one byte), so a damaged length cannot make us allocate wildly.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.buf)) {
		d.err = fmt.Errorf("count %d exceeds the %d bytes left", n, len(d.buf))
		return 0
	}
	return int(n)
}

// catalog decodes the version history and replays it in seq order into a fresh catalog, so
// that names held by successive tables resolve as they did.
func (d *decoder) catalog() *catalog.Catalog {
	type entry struct {
		id uint64
		v  catalog.Version
	}
	var all []entry
	for n := d.count(); n > 0 && d.err == nil; n-- {
		id := d.uvarint()
		for m := d.count(); m > 0 && d.err == nil; m-- {
			v := catalog.Version{Seq: d.uvarint()}
			if d.err == nil && len(d.buf) > 0 {
				v.Dropped = d.buf[0] == 1
				d.buf = d.buf[1:]
			}
			if d.err != nil {
				break
			}
			t, k, err := eventlog.DecodeTable(d.buf)
			if err != nil {
				d.err = fmt.Errorf("table %d version at seq %d: %w", id, v.Seq, err)
				break
			}
			d.buf = d.buf[k:]
			if d.constraints {
				if k, err = eventlog.DecodeConstraints(d.buf, &t); err != nil {
					d.err = fmt.Errorf("table %d version at seq %d: %w", id, v.Seq, err)
					break
				}
				d.buf = d.buf[k:]
			}
			v.Table = &t
			all = append(all, entry{id, v})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].v.Seq < all[j].v.Seq })
	c := catalog.New()
	for _, e := range all {
		if e.v.Dropped {
			c.Drop(e.v.Seq, e.id)
		} else {
			c.Put(e.v.Seq, e.v.Table)
		}
	}
	return c
}

// views decodes the views section and replays its versions, in seq order, into c.
func (d *decoder) views(c *catalog.Catalog) {
	type entry struct {
		id uint64
		v  catalog.ViewVersion
	}
	var all []entry
	for n := d.count(); n > 0 && d.err == nil; n-- {
		id := d.uvarint()
		for m := d.count(); m > 0 && d.err == nil; m-- {
			v := catalog.ViewVersion{Seq: d.uvarint()}
			if d.err == nil && len(d.buf) > 0 {
				v.Dropped = d.buf[0] == 1
				d.buf = d.buf[1:]
			}
			if d.err != nil {
				return
			}
			def, k, err := eventlog.DecodeView(d.buf)
			if err != nil {
				d.err = fmt.Errorf("view %d version at seq %d: %w", id, v.Seq, err)
				return
			}
			if def.ID != id {
				d.err = fmt.Errorf("view %d version at seq %d holds id %d", id, v.Seq, def.ID)
				return
			}
			d.buf = d.buf[k:]
			v.View = &def
			all = append(all, entry{id, v})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].v.Seq < all[j].v.Seq })
	for _, e := range all {
		if e.v.Dropped {
			c.DropView(e.v.Seq, e.id)
		} else {
			c.PutView(e.v.Seq, e.v.View)
		}
	}
}

// rows decodes every live table's rows, rebuilding its indexes as it goes.
func (d *decoder) rows(s *State) {
	for n := d.count(); n > 0 && d.err == nil; n-- {
		id := d.uvarint()
		def, ok := s.cat.ByID(id)
		if !ok {
			d.err = fmt.Errorf("rows for table %d, which is not live", id)
			return
		}
		for i := range def.Indexes {
			if err := checkIndexColumns(def, &def.Indexes[i]); err != nil {
				d.err = err
				return
			}
		}
		t := newTable(def)
		for m := d.count(); m > 0 && d.err == nil; m-- {
			rowID, version := d.uvarint(), d.uvarint()
			if d.err != nil {
				return
			}
			row, k, err := schema.DecodeRow(d.buf)
			if err != nil {
				d.err = fmt.Errorf("row %d of table %d: %w", rowID, id, err)
				return
			}
			if len(row) != len(def.Columns) {
				d.err = fmt.Errorf("row %d of table %d has %d values, want %d", rowID, id, len(row), len(def.Columns))
				return
			}
			d.buf = d.buf[k:]
			t.put(rowID, version, row)
		}
		s.setTable(id, t)
	}
}

// serials reads the serial counters section (format 4).
func (d *decoder) serials(s *State) {
	for n := d.count(); n > 0 && d.err == nil; n-- {
		id, col := d.uvarint(), d.uvarint()
		v, k := binary.Varint(d.buf)
		if d.err != nil {
			return
		}
		if k <= 0 {
			d.err = fmt.Errorf("serial counter of table %d: truncated", id)
			return
		}
		d.buf = d.buf[k:]
		t, ok := s.tables[id]
		if !ok || col > math.MaxUint32 || t.def.ColumnByID(uint32(col)) < 0 {
			d.err = fmt.Errorf("serial counter of table %d column %d: no such column", id, col)
			return
		}
		if t.serial == nil {
			t.serial = map[uint32]int64{}
		}
		t.serial[uint32(col)] = max(t.serial[uint32(col)], v)
	}
}
