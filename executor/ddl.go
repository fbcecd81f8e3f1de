package executor

import (
	"fmt"
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
)

// The data definition statements. The executor checks what PostgreSQL checks (names, types,
// DEFAULT expressions, constraints) and hands storage.Tx a finished definition; the Tx
// records the event and applies it to the transaction's private state.

func (x *execution) createTable(s *parser.CreateTableStmt) (*Result, error) {
	done := &Result{Tag: "CREATE TABLE"}
	if x.relationExists(s.Name) {
		if s.IfNotExists {
			return done, nil
		}
		return nil, errAt(s, schema.CodeDuplicateTable, "relation %q already exists", s.Name)
	}
	def := schema.Table{Name: s.Name}
	var pk *keyConstraint
	var uniques []keyConstraint
	var cons tableConstraints
	addKey := func(k keyConstraint, primary bool) error {
		if !primary {
			uniques = append(uniques, k)
			return nil
		}
		if pk != nil {
			return errAtPos(k.at, "42P16", "multiple primary keys for table %q are not allowed", s.Name)
		}
		pk = &k
		return nil
	}
	for _, cd := range s.Columns {
		if def.Column(cd.Name) >= 0 {
			return nil, errAtPos(cd.At, schema.CodeDuplicateColumn, "column %q specified more than once", cd.Name)
		}
		col, err := x.columnDef(cd)
		if err != nil {
			return nil, err
		}
		def.Columns = append(def.Columns, col)
		if cd.PrimaryKey {
			if err := addKey(keyConstraint{cols: []string{cd.Name}, at: cd.At}, true); err != nil {
				return nil, err
			}
		}
		if cd.Unique {
			uniques = append(uniques, keyConstraint{cols: []string{cd.Name}, at: cd.At})
		}
		for _, cc := range cd.Constraints {
			if cc.Check == nil && cc.References == nil {
				if err := addKey(keyConstraint{cols: []string{cd.Name}, name: cc.Name, at: cc.At}, cc.PrimaryKey); err != nil {
					return nil, err
				}
				continue
			}
			cc.Columns = []string{cd.Name}
			cons.add(cc, cd.Name)
		}
	}
	for _, tc := range s.Constraints {
		if tc.Check != nil || tc.References != nil {
			cons.add(tc, "")
			continue
		}
		if err := addKey(keyConstraint{cols: tc.Columns, name: tc.Name, at: tc.At}, tc.PrimaryKey); err != nil {
			return nil, err
		}
	}
	if pk != nil {
		ix, err := x.constraintIndex(&def, *pk, true, s)
		if err != nil {
			return nil, err
		}
		def.Indexes = append(def.Indexes, ix)
	}
	for _, k := range uniques {
		ix, err := x.constraintIndex(&def, k, false, s)
		if err != nil {
			return nil, err
		}
		def.Indexes = append(def.Indexes, ix)
	}
	if err := x.buildConstraints(&def, &cons); err != nil {
		return nil, err
	}
	if _, err := x.env.Tx.CreateTable(def); err != nil {
		return nil, err
	}
	return done, nil
}

// keyConstraint is a PRIMARY KEY or UNIQUE constraint of CREATE TABLE: its columns, and its
// name when one was given.
type keyConstraint struct {
	cols []string
	name string
	at   parser.Pos
}

// columnDef checks one column definition: its type and its DEFAULT, stored as SQL text.
func (x *execution) columnDef(cd parser.ColumnDef) (schema.Column, error) {
	if t, ok := serialTypes[strings.ToUpper(cd.Type.Name)]; ok && len(cd.Type.Args) == 0 {
		// SERIAL is INTEGER NOT NULL whose default draws from the column's own counter.
		if cd.Default != nil {
			return schema.Column{}, errAtPos(cd.At, schema.CodeSyntax, "multiple default values specified for column %q", cd.Name)
		}
		return schema.Column{Name: cd.Name, Type: t, NotNull: true, Serial: true}, nil
	}
	t, err := resolveType(cd.Type)
	if err != nil {
		return schema.Column{}, err
	}
	col := schema.Column{Name: cd.Name, Type: t, NotNull: cd.NotNull || cd.PrimaryKey}
	if cd.Default != nil {
		if _, err := x.compileDefaultExpr(cd.Default, col); err != nil {
			return schema.Column{}, err
		}
		col.Default = format(cd.Default)
	}
	return col, nil
}

// constraintIndex builds the index of a PRIMARY KEY (named t_pkey, its columns made NOT NULL)
// or a UNIQUE constraint (named t_a_b_key), with column IDs as storage.Tx.CreateTable will
// assign them: column i gets ID i+1.
func (x *execution) constraintIndex(def *schema.Table, k keyConstraint, primary bool, at parser.Node) (schema.Index, error) {
	ix := schema.Index{Unique: true, Primary: primary, Constraint: !primary, Method: schema.BTree}
	cols := k.cols
	for _, name := range cols {
		pos := def.Column(name)
		if pos < 0 {
			return ix, errAt(at, schema.CodeUndefinedColumn, "column %q named in key does not exist", name)
		}
		if primary {
			def.Columns[pos].NotNull = true
		}
		id := def.Columns[pos].ID
		if id == 0 {
			id = uint32(pos + 1) // a table being created: storage will number column i as i+1
		}
		ix.Columns = append(ix.Columns, id)
	}
	if k.name != "" {
		if x.relationExists(k.name) || def.Index(k.name) >= 0 || strings.EqualFold(k.name, def.Name) {
			return ix, errAtPos(k.at, schema.CodeDuplicateTable, "relation %q already exists", k.name)
		}
		ix.Name = k.name
		return ix, nil
	}
	base := def.Name + "_" + strings.Join(cols, "_") + "_key"
	if primary {
		base = def.Name + "_pkey"
	}
	ix.Name = x.freeIndexName(def, strings.ToLower(base))
	return ix, nil
}

// freeIndexName returns base, or base with the smallest number appended that makes it unused
// by any relation, as PostgreSQL names constraint indexes.
func (x *execution) freeIndexName(def *schema.Table, base string) string {
	name := base
	for i := 1; x.relationExists(name) || def.Index(name) >= 0; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	return name
}

// relationExists reports whether a table, an index or a view has the name (they share a
// namespace).
func (x *execution) relationExists(name string) bool {
	cat := x.read.Catalog()
	if _, ok := cat.Lookup(name); ok {
		return true
	}
	if _, ok := cat.View(name); ok {
		return true
	}
	_, ok := cat.IndexTable(name)
	return ok
}

func (x *execution) dropTable(s *parser.DropTableStmt) (*Result, error) {
	var defs []*schema.Table
	dropping := map[uint64]bool{}
	for _, name := range s.Names {
		t, ok := x.read.Table(name)
		if !ok {
			if _, ok := x.read.View(name); ok {
				return nil, errAt(s, codeWrongObjectType, "%q is not a table", name)
			}
			if s.IfExists {
				continue
			}
			return nil, errUndefinedTable(s, name)
		}
		defs = append(defs, t.Def())
		dropping[t.Def().ID] = true
	}
	g := x.graph()
	for _, def := range defs {
		if err := x.dropDependents(g, def.ID, "", s.Cascade, dropping, "table "+def.Name, s); err != nil {
			return nil, err
		}
	}
	ids := make([]uint64, len(defs))
	for i, def := range defs {
		ids[i] = def.ID
	}
	for _, id := range x.dropOrder(ids) {
		if err := x.env.Tx.DropTable(id); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "DROP TABLE"}, nil
}

func (x *execution) dropView(s *parser.DropViewStmt) (*Result, error) {
	var views []*schema.View
	dropping := map[uint64]bool{}
	for _, name := range s.Names {
		v, ok := x.read.View(name)
		if !ok {
			if _, ok := x.read.Table(name); ok {
				return nil, errAt(s, codeWrongObjectType, "%q is not a view", name)
			}
			if s.IfExists {
				continue
			}
			return nil, errAt(s, schema.CodeUndefinedTable, "view %q does not exist", name)
		}
		if !dropping[v.ID] {
			views = append(views, v)
			dropping[v.ID] = true
		}
	}
	g := x.graph()
	for _, v := range views {
		if err := x.dropDependents(g, v.ID, "", s.Cascade, dropping, "view "+v.Name, s); err != nil {
			return nil, err
		}
	}
	for _, v := range views {
		if err := x.env.Tx.DropView(v.ID); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "DROP VIEW"}, nil
}

func (x *execution) createIndex(s *parser.CreateIndexStmt) (*Result, error) {
	done := &Result{Tag: "CREATE INDEX"}
	t, ok := x.read.Table(s.Table)
	if !ok {
		if _, ok := x.read.View(s.Table); ok {
			return nil, errAt(s, codeWrongObjectType, "cannot create index on relation %q", s.Table)
		}
		return nil, errUndefinedTable(s, s.Table)
	}
	def := t.Def()
	ix := schema.Index{Name: s.Name, Unique: s.Unique}
	var names []string
	for _, c := range s.Columns {
		pos := def.Column(c.Name)
		if pos < 0 {
			return nil, errAt(s, schema.CodeUndefinedColumn, "column %q does not exist", c.Name)
		}
		ix.Columns = append(ix.Columns, def.Columns[pos].ID)
		names = append(names, def.Columns[pos].Name)
	}
	switch strings.ToLower(s.Using) {
	case "", "btree":
		ix.Method = schema.BTree
	case "hash":
		ix.Method = schema.Hash
		if len(ix.Columns) > 1 {
			return nil, errAt(s, schema.CodeFeatureUnsupported, "access method \"hash\" does not support multicolumn indexes")
		}
		if ix.Unique {
			return nil, errAt(s, schema.CodeFeatureUnsupported, "access method \"hash\" does not support unique indexes")
		}
	default:
		return nil, errAt(s, schema.CodeUndefinedObject, "access method %q does not exist", s.Using)
	}
	if ix.Name == "" {
		ix.Name = x.freeIndexName(def, strings.ToLower(def.Name+"_"+strings.Join(names, "_")+"_idx"))
	} else if x.relationExists(ix.Name) {
		if s.IfNotExists {
			return done, nil
		}
		return nil, errAt(s, schema.CodeDuplicateTable, "relation %q already exists", ix.Name)
	}
	if err := x.env.Tx.CreateIndex(def.ID, ix); err != nil {
		return nil, err
	}
	return done, nil
}

func (x *execution) dropIndex(s *parser.DropIndexStmt) (*Result, error) {
	type target struct {
		table uint64
		name  string
	}
	var targets []target
	for _, name := range s.Names {
		def, ok := x.read.Catalog().IndexTable(name)
		if !ok {
			if s.IfExists {
				continue
			}
			return nil, errAt(s, schema.CodeUndefinedObject, "index %q does not exist", name)
		}
		ix := def.Indexes[def.Index(name)]
		if ix.Primary || ix.Constraint {
			return nil, errAt(s, schema.CodeDependentObjects,
				"cannot drop index %s because constraint %s on table %s requires it", ix.Name, ix.Name, def.Name)
		}
		targets = append(targets, target{def.ID, ix.Name})
	}
	for _, t := range targets {
		if err := x.env.Tx.DropIndex(t.table, t.name); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "DROP INDEX"}, nil
}

// serialTypes are the SERIAL type names and the integer type of each.
var serialTypes = map[string]schema.Type{
	"SERIAL": schema.Integer, "SERIAL4": schema.Integer,
	"BIGSERIAL": schema.BigInt, "SERIAL8": schema.BigInt,
	"SMALLSERIAL": schema.SmallInt, "SERIAL2": schema.SmallInt,
}
