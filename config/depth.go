package config

// maxDepth bounds how deeply a config file may nest. The TOML decoder's cost
// grows with the square of the nesting (20,000 dotted parts: 10 GB) and its
// recursion with the nesting itself (5 MB of "[" overflowed the stack).
// Every key reload knows sits at most two levels deep, so any bound above
// that still lets real mistakes reach their own messages ("no such key");
// at 16, the worst 1 MiB file costs the decoder about a second.
const maxDepth = 16

// tooDeep scans text as TOML's lexer would, outside strings and comments,
// and returns the first line (from 1) where the nesting passes maxDepth, or
// 0. The nesting counts every level the decoder builds: the parts of the
// [table] header in force, the parts of each dotted key, and each open [ or
// { (weighted by the parts of the key it is the value of). It reads any
// text, valid TOML or not, in one pass; the decoder reports syntax errors.
func tooDeep(text string) int {
	type frame struct {
		brace  bool // an inline table: keys follow { and ,
		weight int
	}
	var (
		stack  []frame
		nested int  // the sum of stack's weights
		table  int  // parts of the [table] header in force
		key    int  // parts of the key being read; 0 between keys
		owner  int  // parts of the key whose value comes next
		inKey  bool // reading a key, not a value
		header bool // reading a [table] header
		line   = 1
	)
	deep := func() bool { return table+nested+key > maxDepth }
	inKey = true
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch c {
		case '\n':
			line++
			if len(stack) == 0 { // a statement ends; in an array, values go on
				inKey, header, key, owner = true, false, 0, 0
			}
			continue
		case ' ', '\t', '\r':
			continue
		case '#':
			for i+1 < len(text) && text[i+1] != '\n' {
				i++
			}
			continue
		case '"', '\'':
			end := skipTOMLString(text, i)
			line += countNewlines(text[i:end])
			i = end - 1
			if inKey && key == 0 {
				key = 1
			}
			owner = 0
			continue
		}
		switch {
		case header:
			switch c {
			case '.':
				table++
			case ']':
				header = false
			}
			if table > maxDepth {
				return line
			}
		case inKey:
			switch c {
			case '[':
				if len(stack) == 0 && key == 0 { // [table] or [[array of tables]]
					header, table = true, 1
					if i+1 < len(text) && text[i+1] == '[' {
						i++
					}
				}
			case '.':
				key++
			case '=':
				inKey, owner, key = false, max(key, 1), 0
			case '}', ']':
				if len(stack) > 0 {
					nested -= stack[len(stack)-1].weight
					stack = stack[:len(stack)-1]
				}
				inKey = len(stack) == 0 || stack[len(stack)-1].brace
			case ',':
			default:
				if key == 0 {
					key = 1
				}
			}
		default: // a value
			switch c {
			case '[', '{':
				f := frame{brace: c == '{', weight: max(owner, 1)}
				stack = append(stack, f)
				nested += f.weight
				inKey, owner = f.brace, 0
			case ']', '}':
				if len(stack) > 0 {
					nested -= stack[len(stack)-1].weight
					stack = stack[:len(stack)-1]
				}
				owner = 0
			case ',':
				inKey = len(stack) > 0 && stack[len(stack)-1].brace
				owner = 0
			default:
				owner = 0
			}
		}
		if deep() {
			return line
		}
	}
	return 0
}

// skipTOMLString returns the index just past the string that opens at i:
// basic ("…", escapes) or literal ('…'), single- or multi-line. An
// unterminated one ends at the end of its line (multi-line: of the text).
func skipTOMLString(s string, i int) int {
	q := s[i]
	if i+2 < len(s) && s[i+1] == q && s[i+2] == q {
		for j := i + 3; j < len(s); j++ {
			switch {
			case s[j] == '\\' && q == '"':
				j++
			case s[j] == q && j+2 < len(s) && s[j+1] == q && s[j+2] == q:
				j += 3
				for k := 0; k < 2 && j < len(s) && s[j] == q; k++ { // """" is a quote, then the end
					j++
				}
				return j
			}
		}
		return len(s)
	}
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == '\n':
			return j
		case s[j] == '\\' && q == '"':
			j++
		case s[j] == q:
			return j + 1
		}
	}
	return len(s)
}

func countNewlines(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			n++
		}
	}
	return n
}
