package governance

import (
	"html/template"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/svg"
)

// TimelineText is what the timeline says, in the page's language.
type TimelineText struct {
	Title string // the chart's title
	Desc  string // a summary, also naming the table that holds the same
	// Label names a status or kind (roadmap.status.*, roadmap.kind.*).
	Label func(key string) string
}

const (
	tlWidth  = 720.0
	tlLeft   = 220.0 // the column of the rows' names
	tlRight  = 16.0
	tlTop    = 28.0 // the years above the rows
	tlRow    = 22.0
	tlBar    = 12.0
	tlMaxLen = 32 // characters of a row's name before it is cut
)

// Timeline draws the roadmap's actions as bars from their start to their
// end and their milestones as diamonds on their date, grouped under their
// goals, with a line for today: a server-rendered SVG with a title, a
// description and a text alternative on every mark (the page shows the
// same items in a table beside it). It returns "" when no action is dated.
func Timeline(items []Item, today string, t TimelineText) template.HTML {
	from, to := "", ""
	widen := func(d string) {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return
		}
		if from == "" || d < from {
			from = d
		}
		if to == "" || d > to {
			to = d
		}
	}
	for _, it := range items {
		switch it.Kind {
		case ItemAction:
			widen(it.Starts)
			widen(it.Ends)
		case ItemMilestone:
			widen(it.Due)
		}
	}
	if from == "" {
		return ""
	}
	start, _ := time.Parse(time.DateOnly, from)
	end, _ := time.Parse(time.DateOnly, to)
	start = time.Date(start.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	end = time.Date(end.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
	span := end.Sub(start).Hours()
	x := func(d string) float64 {
		day, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return tlLeft
		}
		return tlLeft + (tlWidth-tlLeft-tlRight)*day.Sub(start).Hours()/span
	}
	rows := timelineRows(items)
	h := tlTop + float64(len(rows))*tlRow + 8
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" role="img" viewBox="0 0 ` + svg.Num(tlWidth) + ` ` + svg.Num(h) +
		`" aria-labelledby="roadmap-tl-title roadmap-tl-desc"><title id="roadmap-tl-title">`)
	svg.EscTo(&b, t.Title)
	b.WriteString(`</title><desc id="roadmap-tl-desc">`)
	svg.EscTo(&b, t.Desc)
	b.WriteString(`</desc>`)
	for y := start.Year(); y < end.Year(); y++ {
		d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		b.WriteString(`<line class="tl-year" x1="` + svg.Num(x(d)) + `" y1="` + svg.Num(tlTop-8) + `" x2="` + svg.Num(x(d)) + `" y2="` + svg.Num(h-8) + `"/>`)
		b.WriteString(`<text x="` + svg.Num(x(d)+4) + `" y="` + svg.Num(tlTop-12) + `">` + time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") + `</text>`)
	}
	for i, r := range rows {
		y := tlTop + float64(i)*tlRow
		name := r.item.Title
		if len([]rune(name)) > tlMaxLen {
			name = string([]rune(name)[:tlMaxLen-1]) + "…"
		}
		class := "tl-name"
		if r.item.Kind == ItemGoal {
			class = "tl-goal"
		}
		b.WriteString(`<text class="` + class + `" x="4" y="` + svg.Num(y+tlBar) + `">`)
		svg.EscTo(&b, name)
		b.WriteString(`</text>`)
		if r.item.Kind != ItemAction {
			continue
		}
		a := r.item
		if a.Starts != "" && a.Ends != "" {
			b.WriteString(`<rect class="tl-bar tl-` + a.Status + `" x="` + svg.Num(x(a.Starts)) + `" y="` + svg.Num(y+2) + `" width="` +
				svg.Num(max(2, x(a.Ends)-x(a.Starts))) + `" height="` + svg.Num(tlBar) + `"><title>`)
			svg.EscTo(&b, t.Label("roadmap.kind.action")+": "+a.Title+", "+a.Starts+" – "+a.Ends+", "+t.Label("roadmap.status."+a.Status))
			b.WriteString(`</title></rect>`)
		}
		for _, m := range r.milestones {
			if m.Due == "" {
				continue
			}
			cx, cy := x(m.Due), y+2+tlBar/2
			b.WriteString(`<path class="tl-milestone tl-` + m.Status + `" d="M` + svg.Num(cx) + ` ` + svg.Num(cy-7) + `l7 7l-7 7l-7-7z"><title>`)
			svg.EscTo(&b, t.Label("roadmap.kind.milestone")+": "+m.Title+", "+m.Due+", "+t.Label("roadmap.status."+m.Status))
			b.WriteString(`</title></path>`)
		}
	}
	if today >= start.Format(time.DateOnly) && today < end.Format(time.DateOnly) {
		b.WriteString(`<line class="tl-today" x1="` + svg.Num(x(today)) + `" y1="` + svg.Num(tlTop-8) + `" x2="` + svg.Num(x(today)) + `" y2="` + svg.Num(h-8) + `"><title>`)
		svg.EscTo(&b, today)
		b.WriteString(`</title></line>`)
	}
	b.WriteString(`</svg>`)
	// Every value written is escaped, a number, a status from the list or
	// a year.
	return template.HTML(b.String()) //nolint:gosec
}

type timelineRow struct {
	item       Item
	milestones []Item
}

// timelineRows orders the rows: each goal, then its actions with their
// milestones on the action's row. A status that is not one of Statuses
// cannot reach the class names: the store checks it.
func timelineRows(items []Item) []timelineRow {
	var rows []timelineRow
	for _, g := range items {
		if g.Kind != ItemGoal {
			continue
		}
		rows = append(rows, timelineRow{item: g})
		for _, a := range items {
			if a.Kind != ItemAction || a.ParentID != g.ID {
				continue
			}
			r := timelineRow{item: a}
			for _, m := range items {
				if m.Kind == ItemMilestone && m.ParentID == a.ID {
					r.milestones = append(r.milestones, m)
				}
			}
			rows = append(rows, r)
		}
	}
	return rows
}
