package practices

import (
	"strings"
	"testing"
)

func TestRenderMarkdownSafe(t *testing.T) {
	cases := []struct {
		name, src     string
		want, mustNot []string
	}{
		{"raw html", "Hello <script>alert(1)</script> <b>x</b>", []string{"Hello"}, []string{"<script", "<b>"}},
		{"html block", "<div onclick=\"x()\">a</div>\n\ntext", []string{"text"}, []string{"<div", "onclick"}},
		{"javascript link", "[click](javascript:alert(1))", []string{"click"}, []string{"javascript:", "<a"}},
		{"data link", "[x](data:text/html;base64,AAAA)", []string{"x"}, []string{"data:", "<a"}},
		{"vbscript autolink", "<vbscript:msgbox>", nil, []string{"<a"}},
		{"https link", "[site](https://example.org/a)", []string{`<a href="https://example.org/a">site</a>`}, nil},
		{"mailto link", "[mail](mailto:a@example.org)", []string{`href="mailto:a@example.org"`}, nil},
		{"relative", "[p](/practices)", []string{`href="/practices"`}, nil},
		{"protocol relative", "[p](//evil.example/x)", []string{"p"}, []string{"evil.example"}},
		{"image", "![alt text](https://tracker.example/p.png)", []string{"alt text"}, []string{"<img", "tracker"}},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
		{"heading", "# Lessons", []string{"<h1>Lessons</h1>"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := string(RenderMarkdown(c.src))
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("RenderMarkdown(%q) = %q, want it to contain %q", c.src, got, w)
				}
			}
			for _, m := range c.mustNot {
				if strings.Contains(got, m) {
					t.Errorf("RenderMarkdown(%q) = %q, must not contain %q", c.src, got, m)
				}
			}
		})
	}
}
