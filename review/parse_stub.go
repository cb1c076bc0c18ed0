package review

// TODO(review): stubs; the ingest helper replaces this file with the real
// parser. Signatures are the contract used by storage, web and cmd.

import (
	"errors"
	"io"
)

var errTODO = errors.New("review: parser not implemented yet")

// ParseMessage decodes one RFC 822 message (CRLF or LF) and classifies it.
// It returns an error wrapping ErrInvalid when raw is not a mail at all.
func ParseMessage(raw []byte) (*Message, error) { return nil, errTODO }

// SplitMbox reads an mbox (mboxo or mboxrd) and calls fn with each message's
// raw bytes, "From " line removed and ">From " unescaped. It stops at fn's
// first error and returns it.
func SplitMbox(r io.Reader, fn func(raw []byte) error) error { return errTODO }

// IsMbox reports whether data starts like an mbox ("From " line).
func IsMbox(data []byte) bool { return false }

// ParseDiff parses unified or git diff text into files.
func ParseDiff(diff string) ([]*File, error) { return nil, errTODO }
