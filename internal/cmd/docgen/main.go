// Command docgen writes docs/config.md from the keys table (config.Keys):
// `make docs` runs it from the repository root. A test in config fails
// when the file in the repository is not what docgen would write.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/reload-dev/reload/config"
)

func main() {
	out := flag.String("o", config.ReferenceFile, "the file to write")
	flag.Parse()
	if err := os.WriteFile(*out, []byte(config.Reference()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
}
