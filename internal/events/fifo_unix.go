//go:build unix

package events

import (
	"errors"
	"os"
	"syscall"
)

func isFIFO(fi os.FileInfo) bool { return fi.Mode()&os.ModeNamedPipe != 0 }

// openFIFONow opens a FIFO for writing without waiting: (nil, nil) when
// it has no reader yet (ENXIO). The file stays non-blocking: the runtime's
// poller waits for a slow reader, and a write deadline can end the wait.
func openFIFONow(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(err, syscall.ENXIO) {
		return nil, nil
	}
	return f, err
}

// releaseOpen ends a wait in open(2) for a reader of the FIFO at path by
// being that reader for a moment: the writer then gets EPIPE and stops.
func releaseOpen(path string) {
	if f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
		f.Close()
	}
}
