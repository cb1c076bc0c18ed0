package review

import "testing"

func TestDecodeFlowed(t *testing.T) {
	for _, tc := range []struct {
		in    string
		delsp bool
		want  string
	}{
		{"a long \nline\nnext", false, "a long line\nnext"},
		{"a long \nline", true, "a longline"},
		{" From stuffed\n  two spaces", false, "From stuffed\n two spaces"},
		{"text \n-- \nsig", false, "text \n-- \nsig"},
	} {
		if got := decodeFlowed(tc.in, tc.delsp); got != tc.want {
			t.Errorf("decodeFlowed(%q, %v) = %q, want %q", tc.in, tc.delsp, got, tc.want)
		}
	}
}
