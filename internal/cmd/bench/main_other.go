//go:build !linux

// Command bench measures reload beside nodemon, node-supervisor and air.
// It reads /proc and uses Linux process controls, so it runs on Linux only.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "bench: runs on Linux only (it reads /proc); run it on a Linux machine or container")
	os.Exit(2)
}
