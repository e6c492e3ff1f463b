package config

import (
	"fmt"
	"path/filepath"
	"strings"
)

// WriteInitFrom is WriteInit with the settings of a nodemon config file:
// it writes n.TOML().
func WriteInitFrom(dir string, force bool, n Nodemon) (string, error) {
	return writeInit(dir, force, n.TOML())
}

// TOML is the .reload.toml that says what the nodemon file said: the
// commented template with n's values, each key that came from the file
// followed by a comment naming the nodemon key (and how its meaning
// changed), and at the top the nodemon keys that have no equivalent.
// Loading it gives n.Config.
func (n Nodemon) TOML() string {
	comments := map[string][]string{}
	var header []string
	for _, note := range n.Notes {
		from := fmt.Sprintf("%q: %s", note.Key, note.Value)
		if note.To == "" {
			header = append(header, "#   "+from+": "+note.Msg)
			continue
		}
		if note.Msg != "" {
			from += " (" + note.Msg + ")"
		}
		if len(comments[note.To]) == 0 {
			from = filepath.Base(note.File) + " " + from
		}
		comments[note.To] = append(comments[note.To], from)
	}
	var b strings.Builder
	if len(n.Notes) > 0 {
		fmt.Fprintf(&b, "# Written by reload init --from nodemon, from %s.\n", filepath.Base(n.Notes[0].File))
	}
	if len(header) > 0 {
		b.WriteString("# Not carried over (nothing here means the same):\n")
		b.WriteString(strings.Join(header, "\n") + "\n")
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	b.WriteString(templateFor(n.Config, func(key string) string { return strings.Join(comments[key], "; ") }))
	return b.String()
}
