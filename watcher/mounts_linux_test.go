package watcher

import (
	"slices"
	"testing"
)

func TestMountTableDiff(t *testing.T) {
	const base = `22 1 0:21 / /proc rw,nosuid - proc proc rw
25 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 25 0:35 / /home/me/my\040project rw - tmpfs tmpfs rw
`
	for _, tc := range []struct {
		name, now string
		want      []mountChange
	}{
		{"nothing", base, nil},
		{"unmounted", base[:len(base)-len("40 25 0:35 / /home/me/my\\040project rw - tmpfs tmpfs rw\n")],
			[]mountChange{{path: "/home/me/my project"}}},
		{"mounted inside, outer first", base + "41 40 0:36 / /home/me/my\\040project/data rw - tmpfs tmpfs rw\n" +
			"42 25 0:37 / /home rw - tmpfs tmpfs rw\n",
			[]mountChange{{path: "/home", mounted: true}, {path: "/home/me/my project/data", mounted: true}}},
		{"mounted over", base + "43 40 0:38 / /home/me/my\\040project rw - tmpfs tmpfs rw\n",
			[]mountChange{{path: "/home/me/my project", mounted: true}}},
		{"replaced", base[:len(base)-len("40 25 0:35 / /home/me/my\\040project rw - tmpfs tmpfs rw\n")] +
			"44 25 0:35 / /home/me/my\\040project rw - tmpfs tmpfs rw\n",
			[]mountChange{{path: "/home/me/my project", mounted: true}}},
	} {
		if got := diffMounts(parseMountinfo(base), parseMountinfo(tc.now)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: changes = %+v, want %+v", tc.name, got, tc.want)
		}
	}
	for in, want := range map[string]string{`/a\040b`: "/a b", `/a\134b\011`: "/a\\b\t", `/a\04`: `/a\04`, `/a\999`: `/a\999`} {
		if got := unescapeMount(in); got != want {
			t.Errorf("unescapeMount(%q) = %q, want %q", in, got, want)
		}
	}
}
