package main

import (
	"reflect"
	"testing"
)

func TestFixOptionalPoll(t *testing.T) {
	vf := valueFlags(flags()) // also proves every flag's help key exists (help panics otherwise)
	for _, tc := range []struct{ in, want []string }{
		{[]string{"reload", "--poll", "app.js"}, []string{"reload", "--poll=500ms", "app.js"}},
		{[]string{"reload", "--poll", "2s", "app.js"}, []string{"reload", "--poll", "2s", "app.js"}},
		{[]string{"reload", "--poll=1s", "app.js"}, []string{"reload", "--poll=1s", "app.js"}},
		{[]string{"reload", "--poll"}, []string{"reload", "--poll=500ms"}},
		{[]string{"reload", "-d", "--poll", "--poll", "x"}, []string{"reload", "-d", "--poll", "--poll=500ms", "x"}}, // -d takes "--poll" as its value
		{[]string{"reload", "app.js", "--poll"}, []string{"reload", "app.js", "--poll"}},                             // the app's flag
		{[]string{"reload", "--", "app", "--poll"}, []string{"reload", "--", "app", "--poll"}},
	} {
		if got := fixOptionalPoll(tc.in, vf); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("fixOptionalPoll(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
