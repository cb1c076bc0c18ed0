package main

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestUserUsageNamesEverySubcommand: the usage line names every
// subcommand the usage describes (token was left out), and token is said
// to be for git-pw and the JSON API (b4 takes no token).
func TestUserUsageNamesEverySubcommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"user", "--help"}, strings.NewReader(""), &out, &errb, func(string) string { return "" }); code != 2 {
		t.Fatalf("user --help: %d", code)
	}
	usage := errb.String()
	m := regexp.MustCompile(`^usage: patchreview user <([a-z|]+)>`).FindStringSubmatch(usage)
	if m == nil {
		t.Fatalf("no usage line:\n%s", usage)
	}
	named := strings.Split(m[1], "|")
	var described []string
	for _, d := range regexp.MustCompile(`(?m)^  user ([a-z]+)`).FindAllStringSubmatch(usage, -1) {
		described = append(described, d[1])
	}
	slices.Sort(named)
	slices.Sort(described)
	if !slices.Equal(named, described) || !slices.Contains(named, "token") {
		t.Errorf("usage line names %v, the usage describes %v", named, described)
	}
	token := usage[strings.Index(usage, "  user token"):]
	token = token[:strings.Index(token, "  user list")]
	if !strings.Contains(token, "git-pw") || !strings.Contains(token, "pw.token") || strings.Contains(token, "b4") {
		t.Errorf("user token is not said to be for git-pw and the JSON API:\n%s", token)
	}
}
