package status

import (
	"strings"
	"testing"
)

func TestLevelsAndPrefix(t *testing.T) {
	for _, tc := range []struct {
		level Level
		want  []string
	}{
		{Quiet, []string{"[reload] warn", "[reload] error"}},
		{Info, []string{"[reload] info", "[reload] warn", "[reload] error"}},
		{Verbose, []string{"[reload] info", "[reload] warn", "[reload] error", "[reload] debug"}},
	} {
		var b strings.Builder
		p := New(&b, false, tc.level)
		p.Infof("info")
		p.Warnf("warn")
		p.Errorf("error")
		p.Debugf("debug")
		got := strings.Split(strings.TrimSpace(b.String()), "\n")
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("level %d: got %q, want %q", tc.level, got, tc.want)
		}
	}
}

func TestColourOnlyWhenAsked(t *testing.T) {
	var plain, coloured strings.Builder
	New(&plain, false, Info).Warnf("x")
	New(&coloured, true, Info).Warnf("x")
	if strings.Contains(plain.String(), "\x1b[") {
		t.Errorf("no-colour output has escapes: %q", plain.String())
	}
	if !strings.Contains(coloured.String(), "\x1b[") {
		t.Errorf("colour output has no escapes: %q", coloured.String())
	}
}
