package storage

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eventsql/eventsql/schema"
)

// workload drives a store with random transactions — DDL and DML mixed, some statements
// failing on unique keys — and records the dump of every committed state by its seq.
type workload struct {
	r      *rand.Rand
	st     *Store
	states map[uint64]string
	tables int
}

func newWorkload(st *Store, seed uint64) *workload {
	return &workload{r: rand.New(rand.NewPCG(seed, 7)), st: st, states: map[uint64]string{0: dump(NewState())}}
}

// run commits n random transactions.
func (w *workload) run(tb testing.TB, n int) {
	tb.Helper()
	for range n {
		tx := w.st.Begin()
		for range 1 + w.r.IntN(4) {
			err := w.step(tx)
			var se *schema.Error
			if err != nil && (!errors.As(err, &se) || se.Code == schema.CodeInternal) {
				require.NoError(tb, err)
			}
		}
		require.NoError(tb, commit(tb, w.st, tx))
		w.states[w.st.Current().Seq()] = dump(w.st.Current())
	}
}

func (w *workload) value(kind int) schema.Value {
	if w.r.IntN(6) == 0 {
		return schema.Null
	}
	if kind == 1 {
		return schema.Str([]string{"x", "y", "z", "w", ""}[w.r.IntN(5)])
	}
	return schema.Int(int64(w.r.IntN(60)))
}

// row returns a random row for def: column 0 (the primary key "a") an integer, the rest by the
// parity of their ID (odd IDs text, even integer — the generator keeps it so).
func (w *workload) row(def *schema.Table) schema.Row {
	r := make(schema.Row, len(def.Columns))
	for i, c := range def.Columns {
		r[i] = w.value(int(c.ID) % 2)
	}
	if def.Columns[0].Name == "a" {
		r[0] = schema.Int(int64(w.r.IntN(200)))
	}
	return r
}

func (w *workload) pickTable(tx *Tx) *Table {
	ts := tx.State().Catalog().Tables()
	if len(ts) == 0 {
		return nil
	}
	t, _ := tx.State().TableByID(ts[w.r.IntN(len(ts))].ID)
	return t
}

func pickRow(r *rand.Rand, t *Table) (uint64, bool) {
	if t.Len() == 0 {
		return 0, false
	}
	n, id := r.IntN(t.Len()), uint64(0)
	t.Scan(func(rid uint64, _ schema.Row) bool { id = rid; n--; return n >= 0 })
	return id, true
}

func (w *workload) step(tx *Tx) error {
	t := w.pickTable(tx)
	op := w.r.IntN(100)
	if t == nil || op < 4 {
		w.tables++
		_, err := tx.CreateTable(schema.Table{
			Name: fmt.Sprintf("t%d", w.tables),
			Columns: []schema.Column{{Name: "a", Type: schema.Integer}, {Name: "b", Type: schema.Integer},
				{Name: "c", Type: schema.Text}},
			Indexes: []schema.Index{
				{Name: fmt.Sprintf("t%d_pkey", w.tables), Columns: []uint32{1}, Unique: true, Primary: true},
				{Name: fmt.Sprintf("t%d_c_key", w.tables), Columns: []uint32{3}, Unique: w.r.IntN(2) == 0, Method: schema.Hash},
			},
		})
		return err
	}
	def := t.Def()
	switch {
	case op < 40:
		_, err := tx.Insert(def.ID, w.row(def))
		return err
	case op < 65:
		if id, ok := pickRow(w.r, t); ok {
			return tx.Update(def.ID, id, w.row(def))
		}
	case op < 80:
		if id, ok := pickRow(w.r, t); ok {
			return tx.Delete(def.ID, id)
		}
	case op < 85:
		return tx.AddColumn(def.ID, schema.Column{Name: fmt.Sprintf("c%d", def.NextColumnID)},
			w.value(int(def.NextColumnID)%2))
	case op < 88:
		if len(def.Columns) > 1 {
			return tx.DropColumn(def.ID, def.Columns[1+w.r.IntN(len(def.Columns)-1)].Name)
		}
	case op < 92:
		c := def.Columns[w.r.IntN(len(def.Columns))]
		return tx.CreateIndex(def.ID, schema.Index{Name: fmt.Sprintf("%s_i%d", def.Name, w.r.IntN(1000)),
			Columns: []uint32{c.ID}, Unique: w.r.IntN(3) == 0, Method: schema.IndexMethod(w.r.IntN(2))})
	case op < 95:
		if len(def.Indexes) > 0 {
			return tx.DropIndex(def.ID, def.Indexes[w.r.IntN(len(def.Indexes))].Name)
		}
	case op < 97:
		return tx.RenameColumn(def.ID, def.Columns[0].Name, def.Columns[0].Name+"_")
	case op < 99:
		return tx.RenameTable(def.ID, def.Name+"r")
	default:
		return tx.DropTable(def.ID)
	}
	return nil
}
