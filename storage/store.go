package storage

import (
	"context"
	"errors"
	"io"
)

// Store is the one handle on the SQLite database.
// TODO(storage): stub; the ingest helper replaces this file.
type Store struct{ opts Options }

var errTODO = errors.New("storage: not implemented yet")

// Open opens (creating and migrating) the database file at path.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	return &Store{opts: opts}, nil
}

// Close closes the database.
func (s *Store) Close() error { return nil }

// IngestMessage stores one raw RFC 822 message, then parses, threads and checks it.
func (s *Store) IngestMessage(ctx context.Context, raw []byte, source string) (IngestStats, error) {
	return IngestStats{}, errTODO
}

// IngestMbox splits an mbox and ingests each message; progress, if not nil, is
// called after each message.
func (s *Store) IngestMbox(ctx context.Context, r io.Reader, source string, progress func(IngestStats)) (IngestStats, error) {
	return IngestStats{}, errTODO
}

// ListSeries lists series, newest first.
func (s *Store) ListSeries(ctx context.Context, f SeriesFilter) ([]SeriesSummary, error) {
	return nil, errTODO
}

// SeriesByID returns one series. It returns ErrNotFound if there is none.
func (s *Store) SeriesByID(ctx context.Context, id int64) (*Series, error) {
	return nil, errTODO
}

// PatchByID returns one patch. It returns ErrNotFound if there is none.
func (s *Store) PatchByID(ctx context.Context, id int64) (*Patch, error) {
	return nil, errTODO
}

// MessageRaw returns the raw bytes of a stored message.
func (s *Store) MessageRaw(ctx context.Context, id int64) ([]byte, error) {
	return nil, errTODO
}
