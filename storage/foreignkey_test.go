package storage

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/eventlog"
	"github.com/eventsql/eventsql/schema"
)

// parentChild creates users (usersDef) and orders (id, user_id → users.id, qty CHECK) and
// returns their IDs.
func parentChild(t *testing.T, st *Store) (users, orders uint64) {
	t.Helper()
	tx := st.Begin()
	u, err := tx.CreateTable(usersDef())
	require.NoError(t, err)
	o, err := tx.CreateTable(schema.Table{
		Name:    "orders",
		Columns: []schema.Column{{Name: "id", Type: schema.Integer, NotNull: true}, {Name: "user_id", Type: schema.Integer}, {Name: "qty", Type: schema.Integer}},
		Indexes: []schema.Index{{Name: "orders_pkey", Columns: []uint32{1}, Unique: true, Primary: true}},
		Checks:  []schema.Check{{Name: "orders_qty_check", Expr: "qty > 0", Columns: []uint32{3}}},
		ForeignKeys: []schema.ForeignKey{{Name: "orders_user_id_fkey", Columns: []uint32{2}, RefTable: u.ID, RefColumns: []uint32{1}},
			{Name: "orders_self", Columns: []uint32{3}, RefTable: 0, RefColumns: []uint32{1}}},
	})
	require.NoError(t, err)
	assert.Equal(t, o.ID, o.ForeignKeys[1].RefTable, "RefTable 0 means the table itself")
	require.NoError(t, commit(t, st, tx))
	return u.ID, o.ID
}

func TestForeignKeyChecks(t *testing.T) {
	st := openStore(t, t.TempDir(), &Options{NoSnapshots: true})
	users, orders := parentChild(t, st)
	tx := st.Begin()
	_, err := tx.Insert(users, row(1, "ann", nil))
	require.NoError(t, err)
	_, err = tx.Insert(users, row(2, "bob", nil))
	require.NoError(t, err)
	order, err := tx.Insert(orders, row(1, 1, 1))
	require.NoError(t, err)
	require.NoError(t, tx.CheckForeignKeys(0))
	require.NoError(t, commit(t, st, tx))

	tests := []struct {
		name  string
		write func(tx *Tx) error
		msg   string
	}{
		{"child without parent", func(tx *Tx) error { _, err := tx.Insert(orders, row(2, 9, 1)); return err },
			`insert or update on table "orders" violates foreign key constraint "orders_user_id_fkey"` + "\nDETAIL:  Key (user_id)=(9) is not present in table \"users\"."},
		{"self reference without row", func(tx *Tx) error { _, err := tx.Insert(orders, row(2, nil, 5)); return err },
			`violates foreign key constraint "orders_self"`},
		{"parent deleted", func(tx *Tx) error {
			id, _, _ := tx.UniqueHolder(users, "users_pkey", row(1, nil, nil))
			return tx.Delete(users, id)
		}, `update or delete on table "users" violates foreign key constraint "orders_user_id_fkey" on table "orders"`},
		{"child repointed", func(tx *Tx) error { return tx.Update(orders, order, row(1, 3, 1)) }, `Key (user_id)=(3) is not present`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx := st.Begin()
			require.NoError(t, tt.write(tx), "the write itself is fine until the statement ends")
			se := requireCode(t, schema.CodeForeignKey, tx.CheckForeignKeys(0))
			assert.Contains(t, se.Message, tt.msg)
		})
	}

	// NULL references nothing; a self-reference to a row of the same batch is fine.
	tx = st.Begin()
	_, err = tx.Insert(orders, row(2, nil, nil))
	require.NoError(t, err)
	_, err = tx.Insert(orders, row(3, 2, 4))
	require.NoError(t, err)
	_, err = tx.Insert(orders, row(4, 2, 4))
	require.NoError(t, err)
	require.NoError(t, tx.CheckForeignKeys(0))

	// Definitions: a referenced table or column cannot be dropped.
	tx = st.Begin()
	requireCode(t, schema.CodeDependentObjects, tx.DropTable(users))
	requireCode(t, schema.CodeDependentObjects, tx.DropColumn(users, "id"))
	require.NoError(t, tx.DropColumn(orders, "user_id"))
	def, err := tx.tableDef(orders)
	require.NoError(t, err)
	require.Len(t, def.def.ForeignKeys, 1, "the foreign key on the dropped column went with it")
	require.NoError(t, tx.DropColumn(orders, "qty"))
	def, _ = tx.tableDef(orders)
	assert.Empty(t, def.def.ForeignKeys)
	assert.Empty(t, def.def.Checks, "the CHECK on the dropped column went with it")
	require.NoError(t, tx.DropTable(users))
}

// Prepare re-checks foreign keys on the merged state: a child inserted for a parent that a
// concurrent commit deleted fails with 23503.
func TestForeignKeyPrepare(t *testing.T) {
	st := openStore(t, t.TempDir(), &Options{NoSnapshots: true})
	users, orders := parentChild(t, st)
	tx := st.Begin()
	uid, err := tx.Insert(users, row(1, "ann", nil))
	require.NoError(t, err)
	require.NoError(t, commit(t, st, tx))

	a, b := st.Begin(), st.Begin()
	require.NoError(t, a.Delete(users, uid))
	require.NoError(t, a.CheckForeignKeys(0))
	_, err = b.Insert(orders, row(1, 1, 1))
	require.NoError(t, err)
	require.NoError(t, b.CheckForeignKeys(0))
	require.NoError(t, commit(t, st, a))
	requireCode(t, schema.CodeForeignKey, commit(t, st, b))
}

// Snapshots carry constraints (format 3) and still read formats 1 and 2, which had none.
func TestSnapshotConstraints(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir, &Options{NoSnapshots: true})
	parentChild(t, st)
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	require.NoError(t, encodeSnapshot(w, st.Current(), eventlog.Hash{}))
	require.NoError(t, w.Flush())
	data := binary.LittleEndian.AppendUint32(buf.Bytes(), crc32.Checksum(buf.Bytes(), crcTable))
	s, _, err := decodeSnapshot(data)
	require.NoError(t, err)
	assert.Equal(t, dump(st.Current()), dump(s))
	orders, _ := s.Table("orders")
	assert.Len(t, orders.Def().ForeignKeys, 2)
	assert.Len(t, orders.Def().Checks, 1)

	// Formats 1 and 2: the same bytes without the constraints sections (and, for 1, without
	// the views section), from a state without constraints or views.
	plain := openStore(t, t.TempDir(), &Options{NoSnapshots: true})
	tx := plain.Begin()
	def, err := tx.CreateTable(usersDef())
	require.NoError(t, err)
	_, err = tx.Insert(def.ID, row(1, "ann", 30))
	require.NoError(t, err)
	require.NoError(t, commit(t, plain, tx))
	for _, version := range []uint32{1, 2} {
		s, _, err = decodeSnapshot(olderSnapshot(t, plain.Current(), version))
		require.NoError(t, err, "format %d", version)
		assert.Equal(t, dump(plain.Current()), dump(s), "format %d", version)
	}
	assert.Equal(t, dump(plain.Current()), dump(s))
}

// olderSnapshot encodes s, which must hold no views, constraints or SERIAL columns, in an older
// snapshot format: version 3 lacks the serials section at the end (one zero count), version 2
// also the constraints section after each table definition (two zero counts when empty),
// version 1 also the views section before the serials (one zero count).
func olderSnapshot(t *testing.T, s *State, version uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	require.NoError(t, encodeSnapshot(w, s, eventlog.Hash{}))
	require.NoError(t, w.Flush())
	data := buf.Bytes()
	require.Equal(t, byte(0), data[len(data)-1], "an empty serials section is one zero byte")
	data = data[:len(data)-1]
	if version == 3 {
		binary.LittleEndian.PutUint32(data[8:], version)
		return binary.LittleEndian.AppendUint32(data, crc32.Checksum(data, crcTable))
	}
	for id := uint64(1); id <= s.maxTableID; id++ {
		for _, v := range s.Catalog().Versions(id) {
			if v.Table == nil {
				continue
			}
			def := eventlog.AppendTable(nil, v.Table)
			data = bytes.Replace(data, append(bytes.Clone(def), 0, 0), def, 1)
		}
	}
	if version == 1 {
		require.Equal(t, byte(0), data[len(data)-1], "an empty views section is one zero byte")
		data = data[:len(data)-1]
	}
	binary.LittleEndian.PutUint32(data[8:], version)
	return binary.LittleEndian.AppendUint32(data, crc32.Checksum(data, crcTable))
}
