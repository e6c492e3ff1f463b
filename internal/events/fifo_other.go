//go:build !unix

package events

import "os"

// Windows has no FIFOs in the file system (its named pipes live under
// \\.\pipe\ and open like files).
func isFIFO(os.FileInfo) bool { return false }

func openFIFONow(string) (*os.File, error) { return nil, nil }

func releaseOpen(string) {}
