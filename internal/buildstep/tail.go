package buildstep

import "bytes"

// The tail keeps what a build error page needs: the last lines, bounded in
// bytes so a build that prints megabytes costs no more memory than this.
const (
	tailBytes = 64 << 10
	tailLines = 40
)

// tail keeps the end of a build's output. It is written by the goroutine
// copying the output and read only after that goroutine is done, so it
// needs no lock.
type tail struct{ buf []byte }

func newTail() *tail { return &tail{} }

// Write keeps p's bytes, dropping the oldest once well past the bound (so
// the copy happens once per tailBytes written, not on every write).
func (t *tail) Write(p []byte) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*tailBytes {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailBytes:]...)
	}
}

// String is the last tailLines lines of the output, within tailBytes. A
// line cut by the byte bound is dropped whole.
func (t *tail) String() string {
	b := t.buf
	if len(b) > tailBytes {
		b = b[len(b)-tailBytes:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	// Count lines from the end; a final newline does not start a line.
	end := len(b)
	if end > 0 && b[end-1] == '\n' {
		end--
	}
	n := 0
	for i := end - 1; i >= 0; i-- {
		if b[i] == '\n' {
			n++
			if n == tailLines {
				b = b[i+1:]
				break
			}
		}
	}
	return string(b)
}
