package storage

// This file is the contract between storage and its callers (web, cmd).
// Names here are stable; fields may be added.

import (
	"context"
	"errors"
	"time"

	"patchreview/review"
)

// ErrNotFound is returned when a series, patch or message does not exist.
var ErrNotFound = errors.New("not found")

// Checker runs the C checks over a parsed message (patch or pasted code).
// storage calls it while processing, with a context that ends at the
// message's time budget (Options.CheckBudget); cmd wires it to package
// checks. It returns ctx's error when it gave up: the message is then stored
// with the findings returned so far and a note "check stopped after N s".
type Checker func(ctx context.Context, m *review.Message) ([]review.Finding, error)

// Options configure Open.
type Options struct {
	Checker Checker
	// Workers parse and check messages in parallel (one writer stores
	// them); 0 means GOMAXPROCS.
	Workers int
	// CheckBudget bounds the checks of one message; 0 means 10 s.
	CheckBudget time.Duration
}

// IngestStats counts what one ingest call did.
type IngestStats struct {
	Messages   int `json:"messages"`   // messages read
	New        int `json:"new"`        // messages stored that were not there before
	Duplicates int `json:"duplicates"` // same Message-ID already stored
	Failed     int `json:"failed"`     // stored raw but could not be parsed
	Patches    int `json:"patches"`    // patch messages among the new ones
	Series     int `json:"series"`     // distinct series touched
	Stopped    int `json:"stopped"`    // checks stopped by the time budget
}

// SeriesFilter selects series for the list page and API.
type SeriesFilter struct {
	// Query is a lore-style search (s: f: a: b: dfn: dfhh: m: prefixes,
	// plain words over everything): series with a matching message.
	Query  string
	List   string // only series whose patches or cover came through this list
	Limit  int
	Offset int
}

// SeriesSummary is one row of the series list.
type SeriesSummary struct {
	ID      int64          `json:"id"`
	Title   string         `json:"title"`
	Author  review.Address `json:"author"`
	Version int            `json:"version"`
	// VersionSuffix follows the version number in "v6a": "a".
	VersionSuffix string    `json:"version_suffix,omitempty"`
	Total         int       `json:"total"`   // N of n/N as announced
	Patches       int       `json:"patches"` // patches received
	Received      time.Time `json:"received"`
	State         string    `json:"state"` // "complete", "incomplete", ...
	Errors        int       `json:"errors"`
	Warnings      int       `json:"warnings"`
	Lists         []string  `json:"lists"` // lists its patches and cover came through
	// ResendOf is, for a "[PATCH RESEND vN]", the original vN series.
	ResendOf int64 `json:"resend_of,omitempty"`
}

// StoredMessage is a message as stored, with its row id. Message is its raw
// bytes parsed (through the store's parse cache: it may be shared with
// other callers, so it must not be changed).
type StoredMessage struct {
	ID         int64           `json:"id"`
	Message    *review.Message `json:"message,omitempty"`
	ParseError string          `json:"parse_error,omitempty"`
	Received   time.Time       `json:"received"`
}

// PatchSummary is one patch in a series.
type PatchSummary struct {
	ID       int64  `json:"id"`
	Number   int    `json:"number"`
	Subject  string `json:"subject"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	Infos    int    `json:"infos"`
	// Verdicts given on this patch, as trailers or "changes requested by …".
	Verdicts []string `json:"verdicts"`
}

// Series is one version of a series with its parts.
type Series struct {
	SeriesSummary
	Cover       *StoredMessage   `json:"cover,omitempty"`
	PatchList   []PatchSummary   `json:"patches"`
	Replies     []StoredMessage  `json:"replies"` // replies to the cover letter
	PrevVersion int64            `json:"prev_version,omitempty"`
	NextVersion int64            `json:"next_version,omitempty"`
	Verdicts    []review.Verdict `json:"verdicts"` // given on the whole series
}

// Patch is one patch with everything shown on its page.
type Patch struct {
	ID       int64            `json:"id"`
	SeriesID int64            `json:"series_id"`
	Message  StoredMessage    `json:"message"`
	Findings []review.Finding `json:"findings"`
	Comments []review.Comment `json:"comments"`
	Replies  []StoredMessage  `json:"replies"` // list replies to this patch
	Verdicts []review.Verdict `json:"verdicts"`
	Trailers []review.Trailer `json:"trailers"` // collected from list replies
	// NotApplied are trailers replies gave for someone other than their
	// sender: b4 am refuses them, and so does the am-ready mbox.
	NotApplied []NotApplied `json:"not_applied_trailers"`
	// CheckNote says when the checks did not finish ("check stopped
	// after 10 s"): the findings are those made until then.
	CheckNote string `json:"check_note,omitempty"`
}
