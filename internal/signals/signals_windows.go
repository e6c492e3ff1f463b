//go:build windows

package signals

var platform = windows()
