package driver

import (
	"context"
	sqldriver "database/sql/driver"
	"fmt"
	"path/filepath"
	"sync"

	"database/sql"

	"github.com/eventsql/eventsql/database"
)

// Name is the name the driver is registered under.
const Name = "eventsql"

func init() {
	sql.Register(Name, &Driver{})
}

// Driver is the database/sql driver. Its zero value is ready to use.
type Driver struct{}

var (
	_ sqldriver.Driver        = (*Driver)(nil)
	_ sqldriver.DriverContext = (*Driver)(nil)
)

// Open opens a connection to the data directory dsn. database/sql prefers OpenConnector.
func (d *Driver) Open(dsn string) (sqldriver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector opens (or shares) the database in the data directory dsn.
func (d *Driver) OpenConnector(dsn string) (sqldriver.Connector, error) {
	if dsn == "" {
		return nil, fmt.Errorf("eventsql: empty data source name: give the data directory path")
	}
	db, key, err := acquire(dsn)
	if err != nil {
		return nil, err
	}
	return &connector{driver: d, db: db, key: key}, nil
}

// connector is one sql.DB's handle on a shared database.DB.
type connector struct {
	driver *Driver
	db     *database.DB
	key    string
	once   sync.Once
}

func (c *connector) Connect(ctx context.Context) (sqldriver.Conn, error) {
	return &conn{db: c.db, sess: c.db.Session()}, nil
}

func (c *connector) Driver() sqldriver.Driver { return c.driver }

// Close is called by sql.DB.Close; the database closes with its last connector.
func (c *connector) Close() error {
	var err error
	c.once.Do(func() { err = release(c.key) })
	return err
}

// The process-wide registry of open databases, by absolute directory.
var (
	registryMu sync.Mutex
	registry   = map[string]*shared{}
)

type shared struct {
	db   *database.DB
	refs int
}

func acquire(dsn string) (*database.DB, string, error) {
	key, err := filepath.Abs(dsn)
	if err != nil {
		return nil, "", fmt.Errorf("eventsql: data directory %q: %w", dsn, err)
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if s, ok := registry[key]; ok {
		s.refs++
		return s.db, key, nil
	}
	db, err := database.Open(key, nil)
	if err != nil {
		return nil, "", err
	}
	registry[key] = &shared{db: db, refs: 1}
	return db, key, nil
}

func release(key string) error {
	registryMu.Lock()
	defer registryMu.Unlock()
	s, ok := registry[key]
	if !ok {
		return nil
	}
	s.refs--
	if s.refs > 0 {
		return nil
	}
	delete(registry, key)
	return s.db.Close()
}
