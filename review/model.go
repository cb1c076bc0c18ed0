package review

import (
	"errors"
	"time"
)

// ErrInvalid marks input that cannot be accepted (not a mail, bad form field).
// web maps it to 400.
var ErrInvalid = errors.New("invalid input")

// Kind says what a message is, after parsing.
type Kind string

// The kinds of message.
const (
	KindPatch Kind = "patch" // carries a diff
	KindCover Kind = "cover" // [PATCH 0/N] or a naked cover letter of a series
	KindReply Kind = "reply" // answers a patch, cover or other reply; no diff of its own
	KindPull  Kind = "pull"  // a git pull request (may also carry a diff)
	KindCode  Kind = "code"  // C code pasted for comment, without a diff
	KindOther Kind = "other" // anything else (announcements, bug reports)
)

// BodyPath is the path that findings and comments use for code pasted in
// a mail body (lines numbered within the decoded body).
const BodyPath = "<mail body>"

// Subject is a parsed subject line such as "[PATCH v2 3/7] mm: fix foo".
type Subject struct {
	Raw       string   // decoded, unfolded subject as sent
	Title     string   // without "Re:" and bracketed prefixes: "mm: fix foo"
	Tags      []string // bracket words other than version and n/N: "PATCH", "RFC", "net-next"
	Version   int      // 1 when unversioned
	Versioned bool     // the version was given ("v2", "-v2", "(v2)"), not assumed
	// VersionSuffix is what follows the number in "v6a" ("a"), kept for
	// display; the version is 6.
	VersionSuffix string
	Number        int  // n of n/N; 0 when unnumbered
	Total         int  // N of n/N; 0 when unnumbered
	IsReply       bool // starts with Re:/RE:/Aw: etc.
	RFC           bool
}

// Address is one decoded mailbox.
type Address struct {
	Name  string
	Email string
}

// String formats the address as "Name <email>" (or the bare email).
func (a Address) String() string {
	if a.Name == "" {
		return a.Email
	}
	return a.Name + " <" + a.Email + ">"
}

// Trailer is one commit trailer such as "Reviewed-by: A <a@b>".
type Trailer struct {
	Key   string `json:"key"` // canonical case: "Reviewed-by"
	Value string `json:"value"`
	// Extinfo is what b4 calls a trailer's extended info: a "[for the
	// foo bits]" line under it, or a "  # comment" after its value.
	Extinfo string `json:"extinfo,omitempty"`
}

// Message is one mail after decoding. Raw bytes are kept by storage, not here.
type Message struct {
	MessageID  string   // without angle brackets
	InReplyTo  string   // without angle brackets
	References []string // oldest first, without angle brackets
	Subject    Subject
	From       Address
	To         []Address
	Cc         []Address
	Date       time.Time
	Body       string // decoded text/plain body, LF line endings
	Kind       Kind
	Patch      *Patch // for KindPatch and a pull request that carries a diff
	PullURL    string // for KindPull: "git://… branch"
	Suggested  *Patch // for KindReply: a diff the reply carries, a change it suggests
	ListID     string // the List-Id header's id ("linux-nilfs.vger.kernel.org"), or ""
}

// Patch is the part of a patch mail that git am would use.
type Patch struct {
	// Author and Subject come from "From:" and "Subject:" lines at the top
	// of the body, as git am reads them when one person sends another's
	// patch; zero when the mail's own headers apply.
	Author        Address
	Subject       string
	CommitMessage string    // the log message, trailers included, as git am would commit it
	Trailers      []Trailer // parsed from the end of the commit message
	Notes         string    // between the "---" line and the diff (diffstat, changelog)
	Diff          string    // the unified diff text, from the first "diff --git"/"---"/"Index:" on
	Files         []*File   // Diff parsed
}

// LineKind is the kind of one diff line.
type LineKind string

// The kinds of diff line.
const (
	LineContext LineKind = "ctx"
	LineAdd     LineKind = "add"
	LineDel     LineKind = "del"
)

// File is one file of a diff.
type File struct {
	OldName, NewName string
	IsNew, IsDelete  bool
	IsRename, IsCopy bool
	IsBinary         bool
	Hunks            []*Hunk
}

// Hunk is one @@ section.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
	Section            string // text after the closing @@ (often the enclosing function)
	Lines              []Line
}

// Line is one line of a hunk.
type Line struct {
	Kind LineKind
	Old  int    // old-side number, 0 for added lines
	New  int    // new-side number, 0 for deleted lines
	Text string // without the leading +/-/space and without newline
}

// Finding is one rule's report on a patch, as stored and shown.
type Finding struct {
	ID        int64      `json:"-"` // storage row id; 0 before storing
	Dismissal *Dismissal `json:"-"` // set when a reviewer dismissed it
	Rule      string     // rules.md id, e.g. "writepage-unlock-all-paths"
	Severity  string     // error, warning, info
	Path      string
	Line      int // new-side line (body line for pasted code)
	Function  string
	Code      string // text of that line
	Message   string
}

// Comment is a review comment: from a list reply (Source "list") or typed in
// the web page (Source "web").
type Comment struct {
	ID        int64
	PatchID   int64 // 0 when on a series (cover letter reply)
	SeriesID  int64
	Source    string // "list" or "web"
	MessageID string // the reply it came from, for list comments
	Author    Address
	Path      string // "" for a general comment
	Line      int    // new-side line it anchors on (old-side when Side is "old"); 0 for a general comment
	Side      string // SideOld for a remark on a removed line, else ""
	Code      string // text of the anchored line
	Body      string
	Created   time.Time
	UserID    int64 // the account that wrote a web comment; 0 for list comments
}

// SideOld marks a comment or anchor on a removed line, numbered on the
// old side of the diff.
const SideOld = "old"

// Dismissal reasons.
const (
	DismissFalsePositive = "false-positive"
	DismissIntended      = "intended"
	DismissPreExisting   = "pre-existing"
)

// Dismissal is a reviewer's decision that a finding needs no change.
type Dismissal struct {
	Reason  string // one of the Dismiss* reasons
	Note    string
	Author  Address
	Created time.Time
	UserID  int64 // the account that dismissed it
}

// Verdict kinds: the trailers a reviewer gives, and "changes-requested".
var VerdictKinds = []string{"Reviewed-by", "Acked-by", "Tested-by", "Nacked-by", "changes-requested"}

// Verdict is a reviewer's conclusion on a patch, or a series (PatchID 0).
type Verdict struct {
	ID       int64
	SeriesID int64
	PatchID  int64
	Kind     string
	Author   Address
	Note     string
	Created  time.Time
	UserID   int64 // the account that gave it
}

// Trailer returns the verdict as a trailer line ("Reviewed-by: A <a@b>"),
// or "" for changes-requested, which has none.
func (v Verdict) Trailer() string {
	if v.Kind == "changes-requested" {
		return ""
	}
	return v.Kind + ": " + v.Author.String()
}

// Author returns who wrote the change: the in-body "From:" of a patch sent
// on someone's behalf, else the sender.
func (m *Message) Author() Address {
	if m.Patch != nil && m.Patch.Author.Email != "" {
		return m.Patch.Author
	}
	return m.From
}
