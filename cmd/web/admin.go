package web

import (
	"fmt"
	"net/http"
)

// snapshot serves POST /v1/admin/snapshot: write a snapshot of the latest state now.
func (s *Server) snapshot(w http.ResponseWriter, r *http.Request) {
	seq, took, err := s.db.Snapshot()
	if err != nil {
		writeDBError(w, r, err)
		return
	}
	s.metrics.snapshot.Observe(took.Seconds())
	s.log.Info("snapshot", "seq", seq, "duration", took)
	writeJSON(w, http.StatusOK, map[string]any{"seq": seq, "duration_ms": float64(took.Microseconds()) / 1000})
}

// verify serves GET /v1/admin/verify: re-read the whole log, checking every checksum and the
// hash chain, while writes go on. 200 with the head seq and hash, or 500 naming the damage.
func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	rep, err := s.db.Verify()
	body := map[string]any{"ok": err == nil, "events": rep.Events, "bytes": rep.Bytes,
		"head_seq": rep.HeadSeq, "head_hash": rep.HeadHash, "segments": rep.Segments}
	if err != nil {
		body["error"] = map[string]any{"code": "XX001", "message": err.Error()}
		writeJSON(w, http.StatusInternalServerError, body)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// backup serves GET /v1/admin/backup: a tar of the log up to the seq committed when the request
// arrived (see database.Backup), streamed while writes go on. Restore it with
// `eventsql restore --from FILE --data DIR`.
func (s *Server) backup(w http.ResponseWriter, r *http.Request) {
	seq, _ := s.db.Head()
	w.Header().Set("Content-Type", "application/x-tar")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="eventsql-%d.tar"`, seq))
	m, err := s.db.Backup(r.Context(), w)
	if err != nil {
		// The status is sent; a truncated tar fails Restore's checks.
		s.log.Error("backup failed", "err", err)
		return
	}
	s.log.Info("backup", "seq", m.Seq, "hash", m.Hash)
}
