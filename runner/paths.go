package runner

import (
	"fmt"
	"strings"
)

// listPaths names up to n paths, for --verbose.
func listPaths(paths []string, n int) string {
	if len(paths) <= n {
		return strings.Join(paths, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(paths[:n], ", "), len(paths)-n)
}
