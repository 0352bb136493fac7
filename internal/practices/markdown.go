package practices

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders entry bodies: CommonMark with tables and
// strikethrough, raw HTML left out (goldmark escapes it unless told
// otherwise) and every link and image checked by safeLinks.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(safeLinks{}, 100))),
)

// safeLinks keeps links to http, https and mailto addresses (and
// relative ones within the site) and turns every other link into its
// text; images are replaced by their description, so a body cannot make
// a reader's browser fetch anything.
type safeLinks struct{}

func (safeLinks) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	var bad []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			if !SafeURL(string(l.Destination)) {
				bad = append(bad, n)
			}
		case *ast.AutoLink:
			if !SafeURL(string(l.URL(reader.Source()))) {
				bad = append(bad, n)
			}
		case *ast.Image:
			bad = append(bad, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range bad {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		if al, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(al.Label(reader.Source())))
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// SafeURL reports whether a link target may appear in a rendered body:
// http, https and mailto addresses, and paths within the site.
func SafeURL(s string) bool {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	case "":
		// A relative path on this site; "//host" would leave it.
		return !strings.HasPrefix(s, "//") && u.Host == ""
	}
	return false
}

// RenderMarkdown renders a body to HTML that is safe to embed in a page:
// raw HTML in the source is escaped, unsafe links become text.
func RenderMarkdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(buf.String()) // #nosec: goldmark without WithUnsafe escapes raw HTML; links are checked above
}
