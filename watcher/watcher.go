// Package watcher watches directory trees and delivers debounced batches of
// changed paths. It knows nothing of the process it restarts: it walks,
// filters, listens to fsnotify and hands out Batch values.
package watcher

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/reload-dev/reload/internal/status"
)

// Options say what to watch and how to filter it.
type Options struct {
	Root      string        // absolute, symlinks resolved, project root; Batch paths and ignore globs are relative to it
	Paths     []string      // absolute roots to watch (a directory; a file root means: watch its parent dir, report only that file; a root not there yet, in a folder that is, is a file root until it appears as a folder)
	Ext       []string      // extensions without dot, lowercase; empty = every file
	Ignore    []string      // user doublestar globs, slash-separated, relative to Root (already validated)
	Gitignore bool          // honour .gitignore files (nested ones too, .git/info/exclude, and those of Root's ancestors up to the repository top)
	Delay     time.Duration // trailing quiet period
	// Poll > 0 polls every directory at this interval by comparing stat
	// results, instead of using file events. At 0 events are used, and only
	// roots on network or virtual file systems (Linux) and directories past
	// the inotify watch limit are polled, every AutoPoll.
	Poll time.Duration
	Log  *status.Printer

	pollWhy string // why everything is polled when Poll was not asked for
}

// AutoPoll is the polling interval of what is polled without Options.Poll.
const AutoPoll = 500 * time.Millisecond

// Batch is one debounced set of changes.
type Batch struct {
	Paths  []string  // sorted, unique, relative to Root, slash-separated
	Rescan bool      // events were lost (overflow): assume everything changed
	Seen   time.Time // when the batch's first change was seen (for save-to-start timings)
}

// Watcher watches the roots given to New. Its state is owned by the
// goroutine running Run; New fills it before Run starts.
type Watcher struct {
	root  string
	delay time.Duration
	log   *status.Printer
	rules *rules
	git   *ignoreFiles // nil when .gitignore files are not honoured
	base  string       // where .gitignore files of ancestors start: the repository top, else Root
	be    backend      // file events; the poller itself when Options.Poll is set
	poll  *poller      // stat polling; nil until something is polled
	every time.Duration
	why   string // why everything is polled, when it is
	rd    dirReader
	out   chan Batch
	mount *mountTable // nil where mounts and unmounts are not followed

	roots  map[string]root   // real path of each root → how it is shown
	dirs   map[string]dir    // real path of each watched directory
	inodes map[uint64]string // inode number → the path it is watched by (where known)
	gen    uint32            // bumped by each rescan, to sweep directories that are gone
	warned map[string]bool   // warnings already printed
	over   int               // directories polled because the watch limit was reached
	count  atomic.Int64      // len(dirs), readable from any goroutine
}

// root is one entry of Options.Paths.
type root struct {
	rel   string // relative to Root as the user named it (before resolving symlinks); "" for Root
	isDir bool
	poll  bool // polled by choice: Options.Poll, or a network file system
	away  bool // its file system was unmounted and is not back yet
}

// dir is one watched directory.
type dir struct {
	rel  string // relative to Root, slash-separated; "" for Root
	tree bool   // inside a directory root, so its entries are reported; else watched only for the roots it holds
	git  bool   // .gitignore rules apply to its entries
	poll bool   // its tree is polled by choice (inherited by subdirectories)
	// polled says which backend holds its watch: the poller (by choice, or
	// past the watch limit), else the event backend.
	polled bool
	ino    uint64 // 0 where unknown
	gen    uint32
}

// New walks every root and adds every watch before it returns, so nothing
// that happens after it returns is missed. A missing or unreadable root is
// an error naming it; an unreadable directory inside one is a warning.
func New(opts Options) (*Watcher, error) {
	if !filepath.IsAbs(opts.Root) {
		return nil, fmt.Errorf("project root %q is not an absolute path", opts.Root)
	}
	return newWith(opts, func() (backend, error) { return newNotify() })
}

// newWith is New with the way to start file events given.
func newWith(opts Options, events func() (backend, error)) (*Watcher, error) {
	if opts.Poll > 0 {
		return newWatcher(opts, newPoller(opts.Poll))
	}
	be, err := events()
	if limitReached(err) {
		// Past fs.inotify.max_user_instances (editors and other watchers
		// take one each) or the open file limit: poll everything instead.
		cause := errors.Unwrap(err) // fsnotify's wrapping repeats what failed
		if cause == nil {
			cause = err
		}
		opts.Poll, opts.pollWhy = AutoPoll, fmt.Sprintf("file events cannot start (%v); "+
			"raise the limit with: sudo sysctl fs.inotify.max_user_instances=1024", cause)
		return newWatcher(opts, newPoller(opts.Poll))
	}
	if err != nil {
		return nil, fmt.Errorf("start watching: %w", err)
	}
	return newWatcher(opts, be)
}

// newWatcher is New with the event source given (the poller when
// Options.Poll is set); it closes be on failure.
func newWatcher(opts Options, be backend) (*Watcher, error) {
	log := opts.Log
	if log == nil {
		log = status.Discard()
	}
	w := &Watcher{
		root:   filepath.Clean(opts.Root),
		delay:  opts.Delay,
		log:    log,
		rules:  newRules(opts.Ignore, opts.Ext),
		be:     be,
		every:  AutoPoll,
		out:    make(chan Batch),
		roots:  map[string]root{},
		dirs:   map[string]dir{},
		inodes: map[uint64]string{},
		warned: map[string]bool{},
	}
	if p, ok := be.(*poller); ok {
		w.poll, w.every, w.why = p, opts.Poll, "--poll is set"
		if opts.pollWhy != "" {
			w.why = opts.pollWhy
			w.log.Warnf("polling every %v: %s", w.every, w.why)
		}
	}
	// Read before the walk, so a mount change during it is noticed.
	if m, err := openMountTable(); err == nil {
		w.mount = m
	} else if !errors.Is(err, errors.ErrUnsupported) {
		w.log.Debugf("mounts and unmounts are not followed: %v", err)
	}
	if opts.Gitignore {
		w.git = newIgnoreFiles()
		w.findRepo()
	}
	for _, p := range opts.Paths {
		if err := w.addRoot(p); err != nil {
			w.close()
			return nil, err
		}
	}
	if w.over > 0 {
		w.log.Debugf("%d folders are polled every %v: the inotify watch limit was reached", w.over, w.every)
	}
	return w, nil
}

// addRoot resolves one entry of Options.Paths and watches it.
func (w *Watcher) addRoot(p string) error {
	real, isDir, err := w.resolveRoot(p)
	if err != nil {
		return err
	}
	// Shown by the name given (a symlinked folder inside the project keeps
	// its name), unless only the resolved path is inside the project root:
	// then p came through a symlinked ancestor of the root (macOS /tmp).
	rel := w.relTo(p)
	if outside(rel) && !outside(w.relTo(real)) {
		rel = w.relTo(real)
	}
	r := root{rel: rel, isDir: isDir}
	probe := real // where its watch goes: a file root's is on its folder
	if !isDir {
		probe = filepath.Dir(real)
	}
	if why := w.pollReason(probe); why != "" {
		r.poll = true
		w.log.Debugf("polling %s every %v: %s", shown(r.rel), w.every, why)
	}
	w.roots[real] = r
	return w.setup(real, r)
}

// resolveRoot returns a root's real path and whether it is a folder. A root
// that is not there yet is watched for from the folder that will hold it,
// which must exist, and counts as a file until it appears as a folder: a
// file that a sync tool touches once it has copied a whole batch (Tilt's
// restart_process convention) need not exist when reload starts.
func (w *Watcher) resolveRoot(p string) (real string, isDir bool, err error) {
	real, err = filepath.EvalSymlinks(p)
	if errors.Is(err, fs.ErrNotExist) {
		parent, perr := filepath.EvalSymlinks(filepath.Dir(p))
		if perr != nil {
			return "", false, watchErr(p, err)
		}
		if fi, serr := os.Stat(parent); serr != nil || !fi.IsDir() {
			return "", false, watchErr(p, err)
		}
		w.log.Infof("%s does not exist yet; it is watched for, and counts as a change when it appears", p)
		return filepath.Join(parent, filepath.Base(p)), false, nil
	}
	if err != nil {
		return "", false, watchErr(p, err)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", false, watchErr(p, err)
	}
	return real, fi.IsDir(), nil
}

// Run delivers batches until ctx is done, then stops watching, closes the
// Batches channel and returns nil. It returns an error only if the event
// source fails. Call it once.
func (w *Watcher) Run(ctx context.Context) error {
	changes := make(chan change, 256)
	dctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		debounce(dctx, changes, w.delay, w.exists, w.out)
	}()
	w.mount.start()
	err := w.loop(ctx, changes)
	if cerr := w.close(); err == nil && cerr != nil {
		err = fmt.Errorf("stop watching: %w", cerr)
	}
	cancel()
	<-done
	close(w.out)
	return err
}

// Batches delivers the debounced changes. It is closed when Run returns.
func (w *Watcher) Batches() <-chan Batch { return w.out }

// Dirs reports how many directories are watched, including the parent of
// each root (watched so that a root deleted and created again is noticed).
func (w *Watcher) Dirs() int { return int(w.count.Load()) }

// loop reads the backend until ctx is done, turning events into changes.
func (w *Watcher) loop(ctx context.Context, changes chan<- change) error {
	emit := func(c change) {
		select {
		case changes <- c:
		case <-ctx.Done():
		}
	}
	for {
		// The poller can start while running (past the watch limit), so
		// its channels are looked up each time round.
		var pollEvents <-chan fsnotify.Event
		var pollErrors <-chan error
		if w.poll != nil && !w.allPolled() {
			pollEvents, pollErrors = w.poll.Events(), w.poll.Errors()
		}
		var ev fsnotify.Event
		var err error
		ok := true
		select {
		case <-ctx.Done():
			return nil
		case ev, ok = <-w.be.Events():
		case ev, ok = <-pollEvents:
		case err, ok = <-w.be.Errors():
		case err, ok = <-pollErrors:
		case ms := <-w.mount.changes():
			w.remount(ms, emit)
			continue
		}
		switch {
		case !ok:
			return errors.New("file events stopped unexpectedly")
		case err == nil:
			w.handle(ev, emit)
		default:
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.log.Debugf("file events were lost (the kernel queue overflowed; sysctl fs.inotify.max_queued_events raises it): rescanning")
				w.rescan()
				emit(change{rescan: true})
				continue
			}
			w.warnOnce(err.Error(), "watching: %v", err)
		}
	}
}

// exists reports whether rel is still there; it runs on the debounce goroutine
// and reads only the immutable root.
func (w *Watcher) exists(rel string) bool {
	_, err := os.Lstat(filepath.Join(w.root, filepath.FromSlash(rel)))
	return err == nil
}

// warnOnce prints a warning the first time key is seen, so a repeating
// problem is one line, not a flood.
func (w *Watcher) warnOnce(key, format string, args ...any) {
	if w.warned[key] {
		w.log.Debugf(format, args...)
		return
	}
	w.warned[key] = true
	w.log.Warnf(format, args...)
}

// close releases the backends; Run does it when it returns.
func (w *Watcher) close() error {
	w.mount.close()
	err := w.be.Close()
	if w.poll != nil && !w.allPolled() {
		err = errors.Join(err, w.poll.Close())
	}
	return err
}

// allPolled reports whether the poller is the only backend (Options.Poll).
func (w *Watcher) allPolled() bool { return backend(w.poll) == w.be }

// outside reports whether a relative path leads out of the project root.
func outside(rel string) bool { return rel == ".." || strings.HasPrefix(rel, "../") }

// watchErr names the root that cannot be watched, with the bare cause
// (the path inside *fs.PathError would repeat it).
func watchErr(p string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) && pe.Path == p {
		err = pe.Err
	}
	return fmt.Errorf("cannot watch %s: %w", p, err)
}
