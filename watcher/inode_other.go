//go:build !unix

package watcher

import "os"

// inode returns 0: without inode numbers, moves are followed by events alone.
func inode(os.FileInfo) uint64 { return 0 }
