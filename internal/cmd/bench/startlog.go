package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// appStart is one start of the app, as the node shim logged it the moment
// the tool exec'd "node": a start is counted even if the app is killed
// before node gets to run a line of it.
type appStart struct {
	PID  int
	Exec time.Time
}

// startLog reads the lines the node shim and the app append, from where it
// was opened on, so one log serves every session in turn. Shim lines are
// "exec PID UNIXNANO"; the app's own are "app PID ORIGIN_MS SCRIPT_MS"
// (performance.timeOrigin and the app's first line, ms since the epoch).
type startLog struct {
	// appTimed: count starts from the app's lines, for a tool that runs
	// node past the shim; Exec is then performance.timeOrigin less shift
	// (how much later timeOrigin reads than the shim's stamp on a direct
	// run), so both kinds of start are timed alike.
	appTimed bool
	shift    time.Duration
	path     string
	off      int64
	rest     []byte
	starts   []appStart
	script   map[int]time.Time // pid → when the app's first line ran
	origin   map[int]time.Time // pid → the app's performance.timeOrigin
}

// msTime reads milliseconds since the epoch, as the app writes them.
func msTime(ms float64) time.Time { return time.UnixMicro(int64(ms * 1000)) }

// openStartLog follows path from its current end. With appTimed, starts
// are the app's lines, shifted back by shift (see startLog).
func openStartLog(path string, appTimed bool, shift time.Duration) (*startLog, error) {
	l := &startLog{path: path, script: map[int]time.Time{}, origin: map[int]time.Time{}}
	fi, err := os.Stat(path)
	l.appTimed, l.shift = appTimed, shift
	if os.IsNotExist(err) {
		return l, nil
	}
	if err != nil {
		return nil, err
	}
	l.off = fi.Size()
	return l, nil
}

// poll reads what was appended since the last call and returns how many
// starts there are in all.
func (l *startLog) poll() (int, error) {
	f, err := os.Open(l.path)
	if os.IsNotExist(err) {
		return len(l.starts), nil
	}
	if err != nil {
		return len(l.starts), err
	}
	defer f.Close()
	b, err := io.ReadAll(io.NewSectionReader(f, l.off, 1<<30))
	if err != nil {
		return len(l.starts), err
	}
	l.off += int64(len(b))
	l.rest = append(l.rest, b...)
	for {
		i := bytes.IndexByte(l.rest, '\n')
		if i < 0 {
			break
		}
		line := string(l.rest[:i])
		l.rest = l.rest[i+1:]
		if err := l.parse(line); err != nil {
			return len(l.starts), fmt.Errorf("start log line %q: %w", line, err)
		}
	}
	return len(l.starts), nil
}

func (l *startLog) parse(line string) error {
	f := strings.Fields(line)
	if len(f) < 3 {
		return fmt.Errorf("too few fields")
	}
	pid, err := strconv.Atoi(f[1])
	if err != nil {
		return err
	}
	switch {
	case f[0] == "exec" && len(f) == 3:
		ns, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return err
		}
		if !l.appTimed {
			l.starts = append(l.starts, appStart{PID: pid, Exec: time.Unix(0, ns)})
		}
	case f[0] == "app" && len(f) == 4:
		origin, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return err
		}
		ms, err := strconv.ParseFloat(f[3], 64)
		if err != nil {
			return err
		}
		l.script[pid] = msTime(ms)
		l.origin[pid] = msTime(origin)
		if l.appTimed {
			l.starts = append(l.starts, appStart{PID: pid, Exec: msTime(origin).Add(-l.shift)})
		}
	default:
		return fmt.Errorf("want \"exec PID NS\" or \"app PID MS MS\"")
	}
	return nil
}
