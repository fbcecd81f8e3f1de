package eventlog

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Options configure a Log. The zero value (or a nil *Options) gives the defaults.
type Options struct {
	// Durability says when a commit is acknowledged; see Durability. Default DurabilityAlways.
	Durability Durability
	// SyncInterval bounds how long DurabilityInterval leaves acknowledged commits unsynced.
	// Default DefaultSyncInterval.
	SyncInterval time.Duration
	// NoSync is the old name for Durability: DurabilityOff, kept for existing callers. For tests
	// and benchmarks only.
	NoSync bool
	// Logger receives recovery messages (a torn tail dropped, an index rebuilt). Default
	// slog.Default().
	Logger *slog.Logger
	// Now is the clock commit times come from. Default time.Now.
	Now func() time.Time
	// SegmentSize is the size at which the active segment is sealed and a new one started, at
	// the next batch boundary (a batch never spans segments). Default 64 MiB.
	SegmentSize int64
	// Preallocate is how far ahead of its end the active segment is filled with zeros (and
	// synced with the next commit), so that commits overwrite allocated blocks instead of growing
	// the file: an fdatasync that does not change the file size skips a journal commit. 0 means
	// DefaultPreallocate when commits are synced and none under DurabilityOff; negative disables.
	Preallocate int64
	// Keys, if set, turns on the secondary index that ScanKey reads: it returns the keys an event
	// belongs to (EventKeys is the one for eventsql's events). It is called for every record at
	// Open and for every entry at Submit, from the submitting goroutine; it must be a pure
	// function of its arguments and must not keep payload.
	Keys func(t Type, payload []byte) []string
	// OnCommit, if set, receives the figures of each group commit after it is acknowledged. It
	// runs on the writer's goroutine: it must be quick and must not call the Log.
	OnCommit func(CommitStats)

	fs fileSystem // the file system; nil means the operating system's (tests inject faults here)
}

// Defaults for Options left zero.
const (
	DefaultSegmentSize  = 64 << 20
	DefaultSyncInterval = 10 * time.Millisecond
	DefaultPreallocate  = 4 << 20
)

func (o *Options) withDefaults() Options {
	var c Options
	if o != nil {
		c = *o
	}
	if c.NoSync {
		c.Durability = DurabilityOff
	}
	if c.SyncInterval <= 0 {
		c.SyncInterval = DefaultSyncInterval
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.SegmentSize <= 0 {
		c.SegmentSize = DefaultSegmentSize
	}
	if c.fs == nil {
		c.fs = osFS{}
	}
	return c
}

// Durability says when Pending.Wait (and so Append) returns, and what a crash can lose.
type Durability uint8

const (
	// DurabilityAlways acknowledges a commit after its bytes are fdatasynced. A crash or power
	// failure loses no acknowledged commit. The default.
	DurabilityAlways Durability = iota
	// DurabilityInterval acknowledges a commit once it is written to the file (the OS page
	// cache) and fdatasyncs at most every SyncInterval. A process crash loses nothing, but an
	// OS crash or power failure can lose the commits acknowledged in the last SyncInterval
	// (and a failed fsync can lose them too). Commits are never lost out of order: what
	// survives is always a prefix of the log.
	DurabilityInterval
	// DurabilityOff never fsyncs. An OS crash or power failure can lose any amount of the
	// log's tail. For tests and benchmarks only.
	DurabilityOff
)

// String returns "always", "interval" or "off".
func (d Durability) String() string {
	switch d {
	case DurabilityAlways:
		return "always"
	case DurabilityInterval:
		return "interval"
	case DurabilityOff:
		return "off"
	}
	return fmt.Sprintf("Durability(%d)", uint8(d))
}

// ParseDurability parses a durability setting as typed in a flag or the REPL: "always", "off",
// "interval" (DefaultSyncInterval), or "interval" followed by a Go duration, separated by a space
// or '=' ("interval 5ms", "interval=5ms"). The returned interval is 0 except for interval. It
// fails with ErrBadDurability.
func ParseDurability(s string) (Durability, time.Duration, error) {
	word, arg, _ := strings.Cut(strings.TrimSpace(strings.ToLower(s)), "=")
	if w, a, ok := strings.Cut(word, " "); ok && arg == "" {
		word, arg = w, a
	}
	word, arg = strings.TrimSpace(word), strings.TrimSpace(arg)
	switch {
	case word == "always" && arg == "":
		return DurabilityAlways, 0, nil
	case word == "off" && arg == "":
		return DurabilityOff, 0, nil
	case word == "interval" && arg == "":
		return DurabilityInterval, DefaultSyncInterval, nil
	case word == "interval":
		d, err := time.ParseDuration(arg)
		if err != nil || d <= 0 {
			return 0, 0, fmt.Errorf("%w: %q: interval must be a positive duration such as 10ms", ErrBadDurability, s)
		}
		return DurabilityInterval, d, nil
	}
	return 0, 0, fmt.Errorf("%w: %q (want always, interval [duration] or off)", ErrBadDurability, s)
}

// formatDurability is the display form Log.Durability returns.
func formatDurability(d Durability, interval time.Duration) string {
	if d == DurabilityInterval {
		return "interval " + interval.String()
	}
	return d.String()
}
