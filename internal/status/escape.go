package status

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with the characters a terminal acts on written as
// escapes, as git's core.quotePath and ls -b do: control characters become
// \n, \t, \a, \x1b, \u0085 …, bytes that are not UTF-8 \xNN, and Unicode's
// bidirectional controls \u202e …. So a file name cannot colour the line,
// set the terminal's title, ring its bell, reorder what is shown or start a
// status line of its own. Printable text (any script, emoji) is kept as it
// is; so is the backslash, which Windows paths are full of.
func Escape(s string) string {
	if clean(s) {
		return s // the common case: nothing to do, nothing allocated
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < utf8.RuneSelf && unsafe(r):
			b.WriteString(asciiEscape(byte(r)))
		case unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// clean reports whether s is printable ASCII, or UTF-8 with nothing to escape.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return false
		} else if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if r == utf8.RuneError || unsafe(r) {
					return false // RuneError: invalid UTF-8, or a real U+FFFD, which Escape keeps
				}
			}
			return true
		}
	}
	return true
}

// unsafe reports whether a terminal may act on r rather than show it.
func unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}

func asciiEscape(c byte) string {
	switch c {
	case '\a':
		return `\a`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	case '\v':
		return `\v`
	}
	return `\x` + strconv.FormatUint(uint64(c)|0x100, 16)[1:] // two hex digits
}

// escaped formats a status line's argument as fmt would, then escapes the
// result, so verbs, widths and flags keep working and reload's own format
// string (and its colour) is never touched.
type escaped struct{ v any }

func (e escaped) Format(f fmt.State, verb rune) {
	_, _ = io.WriteString(f, Escape(fmt.Sprintf(fmt.FormatString(f, verb), e.v)))
}

// escapeArgs wraps each argument in escaped; it copies, leaving the caller's slice alone.
func escapeArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = escaped{a}
	}
	return out
}
