//go:build !linux

package watcher

import "errors"

// mountTable follows the mount table on Linux only.
type mountTable struct{}

func openMountTable() (*mountTable, error)        { return nil, errors.ErrUnsupported }
func (*mountTable) start()                        {}
func (*mountTable) changes() <-chan []mountChange { return nil }
func (*mountTable) close()                        {}
