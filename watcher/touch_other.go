//go:build !linux && !darwin

package watcher

// touched reports whether a Chmod-only event was a touch. Windows sends no
// Chmod events and a touch there is a Write; elsewhere, without a portable
// ctime, a Chmod-only event is taken as a chmod.
func touched(string) bool { return false }
