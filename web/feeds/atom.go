// Package feeds writes Atom feeds: the new series of a list, and the new
// findings and comments on one series, so a reviewer can watch a series
// without an account. The public-inbox face's new.atom uses its writer.
package feeds

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"time"
)

// Feed is an Atom feed (RFC 4287).
type Feed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Links   []Link   `xml:"link"`
	Entries []Entry  `xml:"entry"`
}

// Link is an Atom link.
type Link struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

// Person is an Atom author.
type Person struct {
	Name  string `xml:"name"`
	Email string `xml:"email,omitempty"`
}

// Content is an entry's text.
type Content struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// Entry is one Atom entry.
type Entry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Author  *Person  `xml:"author,omitempty"`
	Links   []Link   `xml:"link"`
	Content *Content `xml:"content,omitempty"`
}

// Time formats t as Atom wants it.
func Time(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Write sends the feed as application/atom+xml. Updated defaults to the
// newest entry's time (the epoch for an empty feed), so that the same
// data gives the same bytes.
func Write(w http.ResponseWriter, f Feed) error {
	if f.Updated == "" {
		f.Updated = Time(time.Unix(0, 0))
		for _, e := range f.Entries {
			if e.Updated > f.Updated {
				f.Updated = e.Updated
			}
		}
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	buf.WriteByte('\n')
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, err := buf.WriteTo(w)
	return err
}
