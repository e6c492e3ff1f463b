package watcher

import (
	"errors"
	"fmt"
	"syscall"
)

// pollReason says why a root is polled rather than watched through events,
// or "" if it is not: polling was asked for, or the root lies on a network
// or virtual file system, whose changes made elsewhere (on the server, the
// Windows side of WSL, the host of a container) send no events here.
func (w *Watcher) pollReason(real string) string {
	if w.allPolled() {
		return w.why
	}
	if fs := remoteFS(real); fs != "" {
		return "it is on " + fs + ", which sends no change events for changes made elsewhere"
	}
	return ""
}

// add starts watching directory p, through the poller when poll is set,
// else through events, falling back to the poller once the inotify watch
// limit (or, on macOS, the open file limit) is reached. It reports whether p
// ended up polled.
func (w *Watcher) add(p string, poll bool) (bool, error) {
	if !poll {
		err := w.be.Add(p)
		if !limitReached(err) {
			return false, err
		}
		if w.over++; w.over == 1 { // once: past the limit, every folder after this one fails alike
			w.log.Warnf("%s, so %s and the folders after it are polled every %v instead; %s",
				limitCause(err, len(w.dirs)), p, w.every, limitFix(err))
		}
	}
	if w.poll == nil {
		w.poll = newPoller(w.every)
	}
	if err := w.poll.Add(p); err != nil {
		return false, err
	}
	return true, nil
}

// limitReached reports whether adding a watch failed for want of watches
// rather than for something about the directory.
func limitReached(err error) bool {
	return err != nil && (errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE))
}

func limitCause(err error, n int) string {
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Sprintf("the inotify watch limit is reached after %d folders", n)
	}
	return fmt.Sprintf("too many open files after %d folders", n)
}

func limitFix(err error) string {
	if errors.Is(err, syscall.ENOSPC) {
		return "raise the limit with: sudo sysctl fs.inotify.max_user_watches=524288 (add it to /etc/sysctl.conf to keep it)"
	}
	return "raise the limit with: ulimit -n 65536"
}
