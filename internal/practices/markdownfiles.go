package practices

import (
	"bufio"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// File is one language version of an entry as a Markdown file with front
// matter, the form in which clusters that keep their knowledge elsewhere
// exchange it (escnet practices import|export):
//
//	---
//	entry: flood-evacuation-2026      (groups the versions of one entry)
//	kind: lesson_learned
//	organisation: gemeente-den-haag   (slug or id)
//	axis: safety
//	visibility: cluster
//	tlp: AMBER
//	capabilities: crisis-management, first-responders
//	lang: nl
//	original: true
//	title: Evacuatie bij hoogwater
//	summary: Wat een oefening leerde.
//	---
//	The body, in Markdown.
type File struct {
	Entry, Kind, Organisation, Axis, Visibility, TLP string
	Capabilities                                     []string
	Text                                             Text
}

// FormatFile writes f with its front matter.
func FormatFile(f File) string {
	var b strings.Builder
	b.WriteString("---\n")
	kv := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, strings.ReplaceAll(v, "\n", " "))
		}
	}
	kv("entry", f.Entry)
	kv("kind", f.Kind)
	kv("organisation", f.Organisation)
	kv("axis", f.Axis)
	kv("visibility", f.Visibility)
	kv("tlp", f.TLP)
	kv("capabilities", strings.Join(f.Capabilities, ", "))
	kv("lang", f.Text.Lang)
	kv("original", strconv.FormatBool(f.Text.Original))
	kv("title", f.Text.Title)
	kv("summary", f.Text.Summary)
	b.WriteString("---\n")
	b.WriteString(f.Text.Body)
	if !strings.HasSuffix(f.Text.Body, "\n") {
		b.WriteString("\n")
	}
	return b.String()
}

// ParseFile reads a file written by FormatFile (or by hand). An unknown
// key or a missing front matter is an error naming the line.
func ParseFile(src string) (File, error) {
	var f File
	sc := bufio.NewScanner(strings.NewReader(src))
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	line := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		line++
		return strings.TrimRight(sc.Text(), "\r"), true
	}
	if l, ok := next(); !ok || strings.TrimSpace(l) != "---" {
		return f, fmt.Errorf("line 1: a front matter starting with --- is expected")
	}
	for {
		l, ok := next()
		if !ok {
			return f, fmt.Errorf("line %d: the front matter does not end with ---", line)
		}
		if strings.TrimSpace(l) == "---" {
			break
		}
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return f, fmt.Errorf("line %d: expected key: value", line)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "entry":
			f.Entry = v
		case "kind":
			f.Kind = v
		case "organisation":
			f.Organisation = v
		case "axis":
			f.Axis = v
		case "visibility":
			f.Visibility = v
		case "tlp":
			f.TLP = strings.ToUpper(v)
		case "capabilities":
			for _, c := range strings.Split(v, ",") {
				if c = strings.TrimSpace(c); c != "" {
					f.Capabilities = append(f.Capabilities, c)
				}
			}
		case "lang":
			f.Text.Lang = v
		case "original":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return f, fmt.Errorf("line %d: original must be true or false", line)
			}
			f.Text.Original = b
		case "title":
			f.Text.Title = v
		case "summary":
			f.Text.Summary = v
		default:
			return f, fmt.Errorf("line %d: unknown key %q", line, k)
		}
	}
	var body []string
	for {
		l, ok := next()
		if !ok {
			break
		}
		body = append(body, l)
	}
	if err := sc.Err(); err != nil {
		return f, err
	}
	f.Text.Body = strings.Join(body, "\n")
	if f.Text.Body != "" {
		f.Text.Body += "\n"
	}
	return f, nil
}

// Group gathers files into entries by their entry key (a file without one
// is an entry of its own), the original version first.
func Group(files map[string]File) [][]File {
	groups := map[string][]File{}
	var keys []string
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f := files[n]
		key := f.Entry
		if key == "" {
			key = "file:" + n
		}
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], f)
	}
	out := make([][]File, 0, len(keys))
	for _, k := range keys {
		g := groups[k]
		sort.SliceStable(g, func(i, j int) bool { return g[i].Text.Original && !g[j].Text.Original })
		out = append(out, g)
	}
	return out
}
