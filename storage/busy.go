package storage

import (
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// IsBusy tells an error SQLite returned because another connection or
// process held the database past the busy timeout (SQLITE_BUSY, or
// SQLITE_LOCKED, with any extended code): the operation may succeed if
// tried again. The web answers it 503 with Retry-After (httpx.StatusOf).
func IsBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	return false
}
