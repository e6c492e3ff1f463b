package command

import (
	"reflect"
	"testing"

	"github.com/reload-dev/reload/config"
)

func TestInferExt(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "package.json", `{"scripts": {
		"start": "node server.js",
		"dev": "tsx watch src/index.ts",
		"serve": "NODE_ENV=development cross-env DEBUG=1 node --inspect app.js",
		"chain": "npm run build && python3 -m http.server",
		"nested": "npm run dev",
		"vite": "vite --port 3000",
		"test": "node --test"
	}}`)
	noStart := t.TempDir()
	write(t, noStart, "package.json", `{}`)
	write(t, noStart, "server.js", "")
	execMap := config.DefaultExecMap()
	execMap["txt"] = "mytool"
	node := []string{"js", "mjs", "cjs", "json", "ts"}
	tsx := config.WatchExtFor("tsx", "ts")
	for _, tc := range []struct {
		name  string
		cmd   []string
		shell bool
		dir   string
		want  []string
		from  string
	}{
		{"node", []string{"node", "app.js"}, false, dir, node, "node"},
		{"node by path", []string{"/usr/local/bin/node", "app.js"}, false, dir, node, "node"},
		{"nodejs", []string{"nodejs", "app.js"}, false, dir, node, "nodejs"},
		{"python3", []string{"python3", "app.py"}, false, dir, []string{"py"}, "python3"},
		{"python3.12", []string{"python3.12", "-m", "app"}, false, dir, []string{"py"}, "python3.12"},
		{"go run", []string{"go", "run", "."}, false, dir, []string{"go", "mod", "sum"}, "go"},
		{"ruby, from the exec map", []string{"ruby", "app.rb"}, false, dir, []string{"rb"}, "ruby"},
		{"exec map entry", []string{"mytool", "app.txt"}, false, dir, []string{"txt"}, "mytool"},
		{"sh: every file", []string{"sh", "app.sh"}, false, dir, nil, ""},
		{"bash: every file", []string{"bash", "-c", "node app.js"}, false, dir, nil, ""},
		{"unknown program", []string{"./server"}, false, dir, nil, ""},
		{"argv words are not split", []string{"make", "a;node"}, false, dir, nil, ""},
		{"npx", []string{"npx", "-y", "tsx", "src/index.ts"}, false, dir, tsx, "tsx"},
		{"env", []string{"env", "PORT=1", "node", "app.js"}, false, dir, node, "node"},
		{"npm start", []string{"npm", "start"}, false, dir, node, "node in `npm start`"},
		{"npm run dev", []string{"npm", "run", "dev"}, false, dir, tsx, "tsx in `npm run dev`"},
		{"npm run dev with app args", []string{"npm", "run", "dev", "--", "--port", "3"}, false, dir, tsx, "tsx in `npm run dev`"},
		{"npm test", []string{"npm", "t"}, false, dir, node, "node in `npm t`"},
		{"pnpm script by name", []string{"pnpm", "serve"}, false, dir, node, "node in `pnpm serve`"},
		{"yarn run", []string{"yarn", "run", "chain"}, false, dir, []string{"py"}, "python3 in `yarn run chain`"},
		{"one level only", []string{"npm", "run", "nested"}, false, dir, nil, ""},
		{"script with no interpreter", []string{"npm", "run", "vite"}, false, dir, nil, ""},
		{"missing script", []string{"npm", "run", "nope"}, false, dir, nil, ""},
		{"npm start's default: node server.js", []string{"npm", "start"}, false, noStart, node, "node in `npm start`"},
		{"shell: npm start", []string{"npm", "start"}, true, dir, node, "node in `npm start`"},
		{"shell: first known command", []string{"make", "&&", "python3", "app.py"}, true, dir, []string{"py"}, "python3"},
		{"shell: glued separators", []string{"cd", "srv;PORT=3", "node", "x.js"}, true, dir, node, "node"},
		{"shell: assignments", []string{"PORT=3000", "node", "app.js"}, true, dir, node, "node"},
		{"shell: sh", []string{"sh", "app.sh", "|", "tee", "log"}, true, dir, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := inferExt(tc.cmd, tc.shell, tc.dir, tc.dir, execMap)
			if !reflect.DeepEqual(f.ext, tc.want) || ok != (tc.want != nil) || ok && f.from() != tc.from {
				t.Errorf("got %q from %q (%v), want %q from %q", f.ext, f.from(), ok, tc.want, tc.from)
			}
		})
	}
}

func TestSimpleCommands(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want [][]string
	}{
		{[]string{"node", "a.js"}, [][]string{{"node", "a.js"}}},
		{[]string{"a", "&&", "b", "||", "c"}, [][]string{{"a"}, {"b"}, {"c"}}},
		{[]string{"a;b", "x", "|c"}, [][]string{{"a"}, {"b", "x"}, {"c"}}},
		{[]string{"A=1", "B_2=x", "node"}, [][]string{{"node"}}},
		{[]string{"--x=1", "node"}, [][]string{{"--x=1", "node"}}},
		{[]string{"&"}, nil},
	} {
		if got := simpleCommands(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("simpleCommands(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
