package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/eventsql/eventsql/database"
)

// metrics are the server's Prometheus metrics, in a registry of its own so that two servers in
// one process (tests) do not collide.
type metrics struct {
	handler  http.Handler
	requests *prometheus.HistogramVec // by route and status
	queries  *prometheus.HistogramVec // POST /v1/sql by statement kind and outcome
	watchers prometheus.Gauge
	inflight prometheus.Gauge
	snapshot prometheus.Histogram
	commit   prometheus.Histogram // per transaction: Submit to acknowledgment
	write    prometheus.Histogram // per group commit
	fsync    prometheus.Histogram
	group    prometheus.Histogram // transactions per group commit
}

// observeCommit records one group commit of the log (database.ObserveCommits).
func (m *metrics) observeCommit(c database.CommitStats) {
	m.group.Observe(float64(c.Batches))
	m.write.Observe(c.Write.Seconds())
	if c.Sync > 0 {
		m.fsync.Observe(c.Sync.Seconds())
	}
	for _, w := range c.Waits {
		m.commit.Observe(w.Seconds())
	}
}

func newMetrics(s *Server) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "eventsql_http_request_duration_seconds", Help: "HTTP requests by route and status.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}, []string{"route", "status"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "eventsql_query_duration_seconds", Help: "POST /v1/sql statements by kind of the first statement and outcome.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}, []string{"kind", "outcome"}),
		watchers: prometheus.NewGauge(prometheus.GaugeOpts{Name: "eventsql_watchers", Help: "Open /v1/events streams."}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "eventsql_http_requests_in_flight", Help: "Requests being served."}),
		snapshot: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "eventsql_snapshot_duration_seconds",
			Help: "Snapshots requested through POST /v1/admin/snapshot.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 10)}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "eventsql_commit_duration_seconds",
			Help:    "Per transaction, from handing its events to the log to their acknowledgment (durable under --durability always).",
			Buckets: prometheus.ExponentialBuckets(0.00001, 4, 10)}),
		write: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "eventsql_log_write_duration_seconds",
			Help: "The write call of each group commit.", Buckets: prometheus.ExponentialBuckets(0.000001, 4, 10)}),
		fsync: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "eventsql_fsync_duration_seconds",
			Help: "The fdatasync of each group commit.", Buckets: prometheus.ExponentialBuckets(0.00001, 4, 10)}),
		group: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "eventsql_group_commit_transactions",
			Help: "Transactions sharing one write and fdatasync.", Buckets: prometheus.ExponentialBuckets(1, 2, 10)}),
	}
	db := s.db
	db.ObserveCommits(m.observeCommit)
	reg.MustRegister(m.requests, m.queries, m.watchers, m.inflight, m.snapshot, m.commit, m.write, m.fsync, m.group,
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "eventsql_events_total", Help: "Events appended to the log (its head seq)."},
			func() float64 { seq, _ := db.Head(); return float64(seq) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "eventsql_head_seq", Help: "Seq of the last committed event."},
			func() float64 { seq, _ := db.Head(); return float64(seq) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "eventsql_commits_total", Help: "Committed transactions (the last event's transaction id)."},
			func() float64 { return float64(db.Commits()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "eventsql_log_bytes", Help: "Size of the event log's files."},
			func() float64 { return float64(db.LogBytes()) }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m
}

// observeQuery records one POST /v1/sql by the kind of its first statement.
func (m *metrics) observeQuery(kinds []string, d time.Duration, err error) {
	kind := "none"
	if len(kinds) > 0 {
		kind = kinds[0]
	}
	if len(kinds) > 1 {
		kind = "multi"
	}
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.queries.WithLabelValues(kind, outcome).Observe(d.Seconds())
}

// route names a request by its endpoint pattern, so /v1/tables/users/rows/1 and …/2 are one.
func route(r *http.Request) string {
	if r.Pattern == "" {
		return "other"
	}
	_, path, _ := strings.Cut(r.Pattern, " ")
	return path
}
