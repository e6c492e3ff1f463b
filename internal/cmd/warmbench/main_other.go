//go:build !unix

// Command warmbench measures save → new app's first line with and without
// --warm; it stops what it starts by process group, so it runs on Unix only.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "warmbench: runs on Unix only")
	os.Exit(2)
}
