package inquiries

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/svg"
)

// Chart draws questions received and answered per month as grouped bars,
// an accessible SVG (a title, a description, and the same figures in the
// table the page shows beside it). Labels are given in the page's
// language: title, received, answered.
func Chart(rows []StatsRow, title, received, answered string) template.HTML {
	var months []StatsRow
	for _, r := range rows {
		if r.Dimension == "month" {
			months = append(months, r)
		}
	}
	const w, h, pad, bottom = 640.0, 240.0, 32.0, 28.0
	top := 1
	for _, m := range months {
		top = max(top, m.Received)
	}
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 640 240" aria-labelledby="inq-chart-title">`)
	b.WriteString(`<title id="inq-chart-title">`)
	svg.EscTo(&b, title)
	b.WriteString(`</title>`)
	n := max(1, len(months))
	slot := (w - 2*pad) / float64(n)
	bar := slot * 0.38
	for i, m := range months {
		x := pad + float64(i)*slot
		for j, v := range []int{m.Received, m.Answered} {
			bh := (h - bottom - pad) * float64(v) / float64(top)
			class, label := "bar-received", received
			if j == 1 {
				class, label = "bar-answered", answered
			}
			b.WriteString(`<rect class="` + class + `" x="` + svg.Num(x+float64(j)*bar) + `" y="` + svg.Num(h-bottom-bh) +
				`" width="` + svg.Num(bar) + `" height="` + svg.Num(bh) + `"><title>`)
			svg.EscTo(&b, m.Key+" "+label+": "+strconv.Itoa(v))
			b.WriteString(`</title></rect>`)
		}
		b.WriteString(`<text x="` + svg.Num(x+bar) + `" y="` + svg.Num(h-8) + `" text-anchor="middle">`)
		svg.EscTo(&b, m.Key)
		b.WriteString(`</text>`)
	}
	b.WriteString(`<line x1="` + svg.Num(pad) + `" y1="` + svg.Num(h-bottom) + `" x2="` + svg.Num(w-pad) + `" y2="` + svg.Num(h-bottom) + `" class="axis"/>`)
	b.WriteString(`</svg>`)
	// Every value written is escaped or a number.
	return template.HTML(b.String()) //nolint:gosec
}
