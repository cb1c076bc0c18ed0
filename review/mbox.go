package review

import (
	"bufio"
	"bytes"
	"io"
	"regexp"
)

// maxLine bounds one mbox line, so that a file without newlines cannot make
// the splitter hold it all.
const maxLine = 16 << 20

// SplitMbox reads an mbox (mboxo or mboxrd) and calls fn with each message's
// raw bytes, the "From " separator line removed and, in an mboxrd message
// (its separator is "From mboxrd@z …", as public-inbox, b4 and lore write
// it), one level of ">From " quoting undone. In an mboxo message a ">From "
// line stays as it is, as git mailsplit leaves it: mboxo quoting cannot be
// undone without turning a real ">From" into "From".
// A separator is a "From " line with an mbox date; no blank line is required
// before it, as git mailsplit requires none.
// It streams: only one message is held at a time. It stops at fn's first
// error and returns it. Data before the first "From " line is treated as a
// message of its own when it is not blank (a single mail without a separator).
func SplitMbox(r io.Reader, fn func(raw []byte) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var msg bytes.Buffer
	rd := false
	flush := func() error {
		if len(bytes.TrimSpace(msg.Bytes())) == 0 {
			msg.Reset()
			return nil
		}
		raw := append([]byte(nil), msg.Bytes()...)
		msg.Reset()
		return fn(raw)
	}
	for {
		line, err := readLine(br)
		if len(line) > 0 {
			if isFromLine(line) {
				if ferr := flush(); ferr != nil {
					return ferr
				}
				rd = bytes.HasPrefix(line, []byte("From mboxrd@z "))
				continue
			}
			if rd && quotedFrom.Match(line) {
				line = line[1:]
			}
			msg.Write(line)
		}
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return err
		}
	}
}

// readLine returns the next line with its newline; at most maxLine bytes.
func readLine(br *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		frag, err := br.ReadSlice('\n')
		out = append(out, frag...)
		if err != bufio.ErrBufferFull || len(out) >= maxLine {
			return out, err
		}
	}
}

var (
	// An mbox separator as git mailsplit and public-inbox write it:
	// "From <addr> <weekday> <month> …". Requiring the date keeps an
	// unescaped "From here on" body line from splitting a message.
	fromLine   = regexp.MustCompile(`^From \S+ +(Mon|Tue|Wed|Thu|Fri|Sat|Sun) +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) `)
	quotedFrom = regexp.MustCompile(`^>+From `)
)

// isFromLine reports whether line is an mbox separator ("From addr date").
func isFromLine(line []byte) bool {
	return bytes.HasPrefix(line, []byte("From ")) && fromLine.Match(line)
}

// IsMbox reports whether data starts like an mbox ("From " separator line).
func IsMbox(data []byte) bool {
	data = bytes.TrimLeft(data, "\r\n")
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		i = len(data)
	}
	return isFromLine(data[:i])
}
