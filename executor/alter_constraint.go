package executor

import (
	"strconv"
	"strings"

	"github.com/eventsql/eventsql/parser"
	"github.com/eventsql/eventsql/schema"
	"github.com/eventsql/eventsql/storage"
)

// ALTER TABLE … ADD CONSTRAINT and DROP CONSTRAINT. A new CHECK is evaluated here on every
// existing row; a new FOREIGN KEY is checked against every row by storage as it is applied; a
// new UNIQUE constraint is a unique index built from the rows.

func (x *execution) addConstraint(s *parser.AlterTableStmt, t *storage.Table) error {
	def := t.Def()
	c := *s.AddConstraint
	name := func(base string) string {
		if c.Name != "" {
			return c.Name
		}
		base = strings.ToLower(base)
		n := base
		for i := 1; def.ConstraintName(n) || x.relationExists(n); i++ {
			n = base + strconv.Itoa(i)
		}
		return n
	}
	if c.Name != "" && def.ConstraintName(c.Name) {
		return errAt(s, schema.CodeDuplicateObject, "constraint %q for relation %q already exists", c.Name, def.Name)
	}
	switch {
	case c.Check != nil:
		ch, err := x.checkDef(def, c.Check)
		if err != nil {
			return err
		}
		ch.Name = name(checkBaseName(def, ch))
		if err := x.validateCheck(t, ch); err != nil {
			return err
		}
		return x.env.Tx.AddCheck(def.ID, ch)
	case c.References != nil:
		fk, err := x.foreignKeyDef(def, c)
		if err != nil {
			return err
		}
		fk.Name = name(def.Name + "_" + strings.Join(c.Columns, "_") + "_fkey")
		return x.env.Tx.AddForeignKey(def.ID, fk)
	case c.PrimaryKey:
		return errAt(s, schema.CodeFeatureUnsupported, "ALTER TABLE ADD PRIMARY KEY is not supported")
	}
	ix, err := x.constraintIndex(def.Clone(), keyConstraint{cols: c.Columns, name: c.Name, at: c.At}, false, s)
	if err != nil {
		return err
	}
	return x.env.Tx.CreateIndex(def.ID, ix)
}

// validateCheck evaluates a new CHECK on every row of the table.
func (x *execution) validateCheck(t *storage.Table, ch schema.Check) error {
	def := t.Def()
	probe := def.Clone()
	probe.Checks = []schema.Check{ch}
	checks, err := x.tableChecks(probe)
	if err != nil {
		return err
	}
	t.Scan(func(_ uint64, row schema.Row) bool {
		var v schema.Value
		if v, err = checks[0].cond.eval(row); err == nil && !v.IsNull() && !v.Bool() {
			err = schema.Errorf(schema.CodeCheck, "check constraint %q of relation %q is violated by some row", ch.Name, def.Name)
		}
		return err == nil
	})
	return err
}

func (x *execution) dropConstraint(s *parser.AlterTableStmt, def *schema.Table) error {
	name := s.DropConstraint.Name
	for _, ch := range def.Checks {
		if strings.EqualFold(ch.Name, name) {
			return x.env.Tx.DropConstraint(def.ID, ch.Name)
		}
	}
	for _, fk := range def.ForeignKeys {
		if strings.EqualFold(fk.Name, name) {
			return x.env.Tx.DropConstraint(def.ID, fk.Name)
		}
	}
	if i := def.Index(name); i >= 0 && (def.Indexes[i].Primary || def.Indexes[i].Constraint) {
		return x.env.Tx.DropIndex(def.ID, def.Indexes[i].Name)
	}
	if s.DropConstraint.IfExists {
		return nil
	}
	return errAt(s, schema.CodeUndefinedObject, "constraint %q of relation %q does not exist", name, def.Name)
}
