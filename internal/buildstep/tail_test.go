package buildstep

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func lines(from, to, width int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		s := fmt.Sprintf("line %d ", i)
		b.WriteString(s + strings.Repeat("x", max(0, width-len(s))) + "\n")
	}
	return b.String()
}

func TestTail(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"short output is kept whole", "a\nb\n", "a\nb\n"},
		{"no final newline", "a\nb", "a\nb"},
		{"last 40 lines", lines(0, 100, 0), lines(60, 100, 0)},
		{"last 40 lines, no final newline", strings.TrimSuffix(lines(0, 45, 0), "\n"), strings.TrimSuffix(lines(5, 45, 0), "\n")},
		{"exactly 40 lines", lines(0, 40, 0), lines(0, 40, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl := newTail()
			// Written in odd-sized pieces, as a pipe delivers them.
			for rest := tc.in; rest != ""; {
				n := min(len(rest), 7)
				tl.Write([]byte(rest[:n]))
				rest = rest[n:]
			}
			if got := tl.String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTailByteBound(t *testing.T) {
	// 40 lines of 3,000 bytes pass the byte bound before the line bound.
	in := lines(0, 200, 3000)
	tl := newTail()
	for i := 0; i < len(in); i += 4096 {
		tl.Write([]byte(in[i:min(i+4096, len(in))]))
	}
	got := tl.String()
	if len(got) > tailBytes {
		t.Fatalf("tail is %d bytes, bound is %d", len(got), tailBytes)
	}
	if !strings.HasSuffix(in, got) || !strings.HasSuffix(got, lines(199, 200, 3000)) {
		t.Fatalf("tail is not the end of the output")
	}
	if !strings.HasPrefix(got, "line ") {
		t.Fatalf("tail starts mid-line: %.40q", got)
	}
	if want := tailBytes / 3000; strings.Count(got, "\n") != want {
		t.Fatalf("want the %d whole lines that fit, got %d", want, strings.Count(got, "\n"))
	}
}

func TestTailMemoryIsBounded(t *testing.T) {
	tl := newTail()
	chunk := bytes.Repeat([]byte("0123456789abcde\n"), 256) // 4 KiB
	for range 2560 {                                        // 10 MiB
		tl.Write(chunk)
		if len(tl.buf) > 2*tailBytes {
			t.Fatalf("tail holds %d bytes, bound is %d", len(tl.buf), 2*tailBytes)
		}
	}
	if got := tl.String(); got != strings.Repeat("0123456789abcde\n", tailLines) {
		t.Fatalf("got %q", got)
	}
}
