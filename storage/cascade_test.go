package storage

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/schema"
)

func TestCascades(t *testing.T) {
	st := openStore(t, t.TempDir(), &Options{NoSnapshots: true})
	tx := st.Begin()
	p, err := tx.CreateTable(usersDef())
	require.NoError(t, err)
	child := func(name string, onDelete, onUpdate schema.RefAction) uint64 {
		def, err := tx.CreateTable(schema.Table{
			Name:    name,
			Columns: []schema.Column{{Name: "id", Type: schema.Integer}, {Name: "uid", Type: schema.Integer}},
			ForeignKeys: []schema.ForeignKey{{Name: name + "_fk", Columns: []uint32{2}, RefTable: p.ID,
				RefColumns: []uint32{1}, OnDelete: onDelete, OnUpdate: onUpdate}},
		})
		require.NoError(t, err)
		return def.ID
	}
	casc := child("casc", schema.Cascade, schema.Cascade)
	null := child("null", schema.SetNull, schema.NoAction)
	plain := child("plain", schema.NoAction, schema.Restrict)
	u1, err := tx.Insert(p.ID, row(1, "ann", nil))
	require.NoError(t, err)
	u2, err := tx.Insert(p.ID, row(2, "bob", nil))
	require.NoError(t, err)
	ids := map[uint64]uint64{}
	for _, tid := range []uint64{casc, null, plain} {
		ids[tid], err = tx.Insert(tid, row(10, 1))
		require.NoError(t, err)
		_, err = tx.Insert(tid, row(20, 2))
		require.NoError(t, err)
	}
	require.NoError(t, commit(t, st, tx))

	// Deleting user 1: casc's row goes, null's row loses its reference, plain is left to the
	// end-of-statement check.
	tx = st.Begin()
	require.NoError(t, tx.Delete(p.ID, u1))
	assert.Equal(t, []RefWrite{
		{Table: casc, Row: ids[casc], Delete: true},
		{Table: null, Row: ids[null], New: row(10, nil)},
	}, tx.Cascades(0))

	// Updating user 2's key: casc follows it, null has no action on update.
	tx = st.Begin()
	require.NoError(t, tx.Update(p.ID, u2, row(3, "bob", nil)))
	writes := tx.Cascades(0)
	require.Len(t, writes, 1)
	assert.Equal(t, casc, writes[0].Table)
	assert.Equal(t, row(20, 3), writes[0].New)

	// An update that keeps the key asks nothing.
	tx = st.Begin()
	require.NoError(t, tx.Update(p.ID, u2, row(2, "robert", nil)))
	assert.Empty(t, tx.Cascades(0))
}
