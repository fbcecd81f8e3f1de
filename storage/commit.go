package storage

import (
	"sort"

	"github.com/eventsql/eventsql/eventlog"
)

// Prepare turns a transaction into the state that committing it will produce, without
// publishing anything. It checks write-write conflicts against the latest state (Latest: the
// newest commit prepared, durable or not) and fails
// with 40001 (ErrConflict) if a row the transaction updated or deleted has changed since the
// transaction began, or if the definition of a table it wrote to or altered has. It then
// applies the transaction's events to a clone of the current state with the seqs the log will
// give them (head+1, …), which fails with 23505 if a row committed meanwhile took a unique key
// the transaction also inserted.
//
// An empty transaction prepares to the latest state. The caller holds the commit lock and,
// if Prepare succeeds, submits tx.Events() to the log, calls Stage, and (after releasing the
// lock and waiting for the events to be durable) Publish; if the log fails, it calls Abort.
// The transaction must not write afterwards.
func (st *Store) Prepare(tx *Tx) (*State, error) {
	cur := st.Latest()
	if tx.Empty() {
		return cur, nil
	}
	if tx.base == cur {
		// Nothing committed since the transaction began: its private state is exactly what
		// applying its events with the real seqs would give (the provisional seqs were
		// base.Seq()+1…). Seal it so a later write of the tx cannot change it.
		tx.State()
		return tx.cur, nil
	}
	if err := st.checkConflicts(tx, cur); err != nil {
		return nil, err
	}
	if err := st.checkValidated(tx, cur); err != nil {
		return nil, err
	}
	for ref, use := range tx.serials {
		if t, ok := cur.tables[ref.table]; ok && t.SerialMax(ref.col) != use.base {
			return nil, conflictError("another transaction drew values from serial column %d of table %q", ref.col, t.def.Name)
		}
	}
	next := cur.Clone()
	for i, e := range tx.events {
		if err := next.Apply(cur.Seq()+1+uint64(i), e); err != nil {
			return nil, err
		}
	}
	// Each statement left the transaction's own state consistent, but a parent it referenced
	// may have been deleted, or a child added for a key it deleted, by a commit since it began:
	// check its rows again against the merged state.
	if err := next.CheckForeignKeys(tx.events); err != nil {
		return nil, err
	}
	return next, nil
}

// checkConflicts is first-updater-wins: the transaction loses if anything it changed was
// changed by a transaction that committed after it began.
func (st *Store) checkConflicts(tx *Tx, cur *State) error {
	for ref, v := range tx.seen {
		t, ok := cur.TableByID(ref.table)
		if !ok {
			return conflictError("table %d was dropped", ref.table)
		}
		if now := t.Version(ref.row); now != v {
			return conflictError("row %d of table %q changed at seq %d (was %d)", ref.row, t.def.Name, now, v)
		}
	}
	ids := make([]uint64, 0, len(tx.written)+len(tx.altered))
	for id := range tx.written {
		ids = append(ids, id)
	}
	for id := range tx.altered {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] }) // deterministic messages
	if err := tx.checkViewConflicts(cur); err != nil {
		return err
	}
	for _, id := range ids {
		vs := cur.Catalog().Versions(id)
		if n := len(vs); n > 0 && vs[n-1].Seq > tx.base.Seq() {
			return conflictError("definition of table %q changed at seq %d", vs[n-1].Table.Name, vs[n-1].Seq)
		}
		if vs := cur.Catalog().ViewVersions(id); len(vs) > 0 && vs[len(vs)-1].Seq > tx.base.Seq() {
			return conflictError("definition of view %q changed at seq %d", vs[len(vs)-1].View.Name, vs[len(vs)-1].Seq)
		}
	}
	return nil
}

// Stage records next — the result of a successful Prepare whose events were just submitted to
// the log, as res reports — as the state the next commit builds on, before it is durable. It
// stamps next with the commit time and seals it. The caller holds the commit lock.
func (st *Store) Stage(next *State, res eventlog.AppendResult) {
	if next.seq != res.LastSeq {
		// Prepare and the log disagree on the seqs: a caller bug. The log is the truth, and
		// the next open will rebuild from it; say so loudly rather than hide it.
		st.logger.Error("storage: staged state does not match the submitted seqs",
			"state_seq", next.seq, "first_seq", res.FirstSeq, "last_seq", res.LastSeq)
	}
	next.time = res.Time
	next.seal()
	st.staged.Store(next)
}

// Abort forgets every staged state after the log failed to make a submitted commit durable:
// the next commit builds on the current (published) state again. Safe from any goroutine.
// (A failed log refuses all later commits anyway; this keeps the store consistent.)
func (st *Store) Abort() { st.staged.Store(nil) }

// Publish makes next — a staged state whose events the log has made durable — the current
// state, visible to every new reader and transaction. Commits become durable in seq order, so
// when a later state was published first, next is already included and Publish does nothing.
// When SnapshotEvery events have passed since the last snapshot, it starts writing one in the
// background (the committer never waits). Publish is safe from several goroutines at once.
func (st *Store) Publish(next *State) {
	st.pubMu.Lock()
	defer st.pubMu.Unlock()
	if next.seq <= st.Current().seq {
		return
	}
	next.seal()
	st.cur.Store(next)
	if st.opts.NoSnapshots || st.closed.Load() || !st.snapshotDue(next) {
		return
	}
	if !st.snapping.CompareAndSwap(false, true) {
		return // one is running; the next Publish will try again
	}
	st.wg.Add(1)
	go func() {
		defer st.wg.Done()
		defer st.snapping.Store(false)
		if err := st.writeSnapshot(next); err != nil {
			st.logger.Warn("storage: background snapshot failed", "seq", next.seq, "err", err)
		}
	}()
}

// snapshotDue says whether enough events have passed since the last snapshot to write one of
// s: SnapshotEvery of them — or, with the default setting, at least as many as s has rows.
// A snapshot costs time proportional to the rows it holds, so a fixed interval would make a
// growing database spend ever more of its time snapshotting (a bulk load of N rows would
// write O(N²) bytes); tying the interval to the size keeps the cost per event constant,
// while the events to replay after the newest snapshot stay no more than one snapshot's worth.
// An explicitly configured SnapshotEvery is honoured exactly.
func (st *Store) snapshotDue(s *State) bool {
	since := s.seq - st.lastSnap.Load()
	if since < st.opts.SnapshotEvery {
		return false
	}
	if !st.adaptive {
		return true
	}
	var rows uint64
	for _, t := range s.tables {
		rows += uint64(t.Len())
	}
	return since >= rows
}

// Snapshot writes a snapshot of the current state now (if there is none at its seq already)
// and prunes old ones. It is safe alongside commits and a background snapshot.
func (st *Store) Snapshot() error {
	if st.closed.Load() {
		return ErrClosed
	}
	return st.writeSnapshot(st.Current())
}
