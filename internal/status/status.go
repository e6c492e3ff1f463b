// Package status prints reload's own status lines ("[reload] …") to stderr.
package status

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/fatih/color"
)

// Level says how much reload talks.
type Level int

// The levels, from quietest.
const (
	Quiet Level = iota - 1
	Info
	Verbose
)

// Printer writes prefixed, optionally coloured status lines. It is safe for
// concurrent use: the watcher and the runner both print. The format string
// is reload's own; the arguments are escaped (see Escape), so a file name
// shows as text, whatever bytes it holds.
type Printer struct {
	mu    sync.Mutex
	w     io.Writer
	q     *queue // nil: w is written at once
	level Level
	info  *color.Color
	warn  *color.Color
	err   *color.Color
	debug *color.Color
}

// New returns a Printer writing to w. Colour is decided once by the caller
// (stderr is a terminal, NO_COLOR unset) rather than by fatih/color's global,
// which looks at stdout.
func New(w io.Writer, useColor bool, level Level) *Printer {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if useColor {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return &Printer{
		w:     w,
		level: level,
		info:  mk(color.FgGreen),
		warn:  mk(color.FgYellow),
		err:   mk(color.FgRed),
		debug: mk(color.FgHiBlack),
	}
}

// NewBackground is New for reload's own stderr: lines are written by a
// goroutine of the printer's, so printing never blocks, and a stderr that
// is full or closed costs lines, never progress. Close flushes it.
func NewBackground(w io.Writer, useColor bool, level Level) *Printer {
	q := newQueue(w)
	p := New(q, useColor, level)
	p.q = q
	return p
}

// Close writes the lines still queued (NewBackground), waiting at most a
// second for a stderr that does not take them. Later lines are dropped.
func (p *Printer) Close() {
	if p.q != nil {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.q.close(time.Second)
		p.w = io.Discard
	}
}

// Discard returns a Printer that prints nothing, for tests and library use.
func Discard() *Printer { return New(io.Discard, false, Quiet) }

// Level reports the printer's level.
func (p *Printer) Level() Level { return p.level }

// print writes one status line. The arguments are escaped (see Escape):
// they carry file names and error text from outside, and must neither reach
// the terminal as control sequences nor break the line in two.
func (p *Printer) print(c *color.Color, format string, args []any) {
	args = escapeArgs(args)
	p.mu.Lock()
	defer p.mu.Unlock()
	c.Fprintf(p.w, "[reload] "+format+"\n", args...)
}

// Infof prints a normal status line (starting, restarting, changes). Hidden by --quiet.
func (p *Printer) Infof(format string, args ...any) {
	if p.level >= Info {
		p.print(p.info, format, args)
	}
}

// Warnf prints something the user should act on (the app crashed, a folder
// could not be watched). Always shown.
func (p *Printer) Warnf(format string, args ...any) { p.print(p.warn, format, args) }

// Errorf prints an error line. Always shown.
func (p *Printer) Errorf(format string, args ...any) { p.print(p.err, format, args) }

// Debugf prints a decision only --verbose wants to see.
func (p *Printer) Debugf(format string, args ...any) {
	if p.level >= Verbose {
		p.print(p.debug, format, args)
	}
}

// Verbose reports whether Debugf lines are shown, so callers can skip
// building expensive messages.
func (p *Printer) Verbose() bool { return p.level >= Verbose }

// ClearScreen clears the terminal (for --clear) and moves the cursor home.
func (p *Printer) ClearScreen() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\x1b[2J\x1b[3J\x1b[H")
}
