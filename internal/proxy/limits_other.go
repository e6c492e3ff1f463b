//go:build !unix

package proxy

// openFileLimit is 0, unknown: Windows has no small per-process limit on
// open sockets.
func openFileLimit() int { return 0 }
