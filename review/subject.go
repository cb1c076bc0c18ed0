package review

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	replyPrefix  = regexp.MustCompile(`(?i)^\s*((re|aw|sv|fwd?)\s*(\[\d+\])?\s*:\s*)+`)
	bracketGroup = regexp.MustCompile(`^\s*\[([^\]]*)\]`)
	versionTag   = regexp.MustCompile(`(?i)^-?v(\d+)([a-z]?)$`) // v2, -v2, v6a
	numberTag    = regexp.MustCompile(`^(\d+)/(\d+)$`)
	gluedPatch   = regexp.MustCompile(`(?i)^(?:v[\d.]+)?patch(?:v(\d+))?(\d+)/(\d+)$`)
	versionParen = regexp.MustCompile(`(?i)\(v(\d+)\)\s*$`)
	spaces       = regexp.MustCompile(`\s+`)
)

// ParseSubject parses a subject such as "Re: [PATCH net-next v2 3/7] mm: fix"
// into its title, tags, version and n/N. It follows patchwork's rules: tags
// come from leading bracket groups (split on spaces and commas), "n of N"
// (Mercurial) counts as n/N, "(v2)" at the end gives a version.
func ParseSubject(raw string) Subject {
	s := Subject{Raw: raw, Version: 1}
	rest := spaces.ReplaceAllString(strings.TrimSpace(raw), " ")
	if m := replyPrefix.FindString(rest); m != "" {
		s.IsReply = true
		rest = rest[len(m):]
	}
	for {
		m := bracketGroup.FindStringSubmatch(rest)
		if m == nil {
			break
		}
		rest = rest[len(m[0]):]
		s.addTags(m[1])
		if r := replyPrefix.FindString(rest); r != "" { // "[PATCH] Re: x"
			s.IsReply = true
			rest = rest[len(r):]
		}
	}
	rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ":"))
	if m := versionParen.FindStringSubmatch(rest); m != nil && !s.Versioned {
		s.Version, _ = strconv.Atoi(m[1])
		s.Versioned = true
	}
	s.Title = strings.TrimSpace(rest)
	return s
}

// addTags reads the words of one bracket group.
func (s *Subject) addTags(group string) {
	words := strings.FieldsFunc(group, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
	for i := 0; i < len(words); i++ {
		w := words[i]
		if i+2 < len(words) && strings.EqualFold(words[i+1], "of") {
			if n, err1 := strconv.Atoi(w); err1 == nil {
				if t, err2 := strconv.Atoi(words[i+2]); err2 == nil {
					s.Number, s.Total = n, t
					i += 2
					continue
				}
			}
		}
		switch m := (struct{ v, n, g []string }{versionTag.FindStringSubmatch(w), numberTag.FindStringSubmatch(w), gluedPatch.FindStringSubmatch(w)}); {
		case m.v != nil:
			s.Version, _ = strconv.Atoi(m.v[1])
			s.VersionSuffix = strings.ToLower(m.v[2])
			s.Versioned = true
		case m.n != nil:
			s.Number, _ = strconv.Atoi(m.n[1])
			s.Total, _ = strconv.Atoi(m.n[2])
		case m.g != nil:
			s.Tags = append(s.Tags, "PATCH")
			if m.g[1] != "" {
				s.Version, _ = strconv.Atoi(m.g[1])
				s.Versioned = true
			}
			s.Number, _ = strconv.Atoi(m.g[2])
			s.Total, _ = strconv.Atoi(m.g[3])
		default:
			if strings.EqualFold(w, "RFC") {
				s.RFC = true
			}
			s.Tags = append(s.Tags, w)
		}
	}
}

// HasTag reports whether the subject carries tag (case-insensitive).
func (s Subject) HasTag(tag string) bool {
	for _, t := range s.Tags {
		if strings.EqualFold(t, tag) {
			return true
		}
	}
	return false
}
