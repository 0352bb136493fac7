package events

import (
	"context"
	"fmt"
	"strings"

	"github.com/escnet/escnet/internal/svg"
)

// Figure is one number of an event's figures.
type Figure struct {
	Key   string `json:"key"` // registrations, confirmed, waiting, checked_in, requested, accepted, held, outcome.<name>
	Value int    `json:"value"`
}

// Figures are an event's numbers for its organisers: registrations,
// attendance, meetings requested, accepted and held, and the outcomes
// recorded after meetings (each side counts once).
func (s *Service) Figures(ctx context.Context, eventID string) (Event, []Figure, error) {
	e, rs, err := s.Attendees(ctx, eventID)
	if err != nil {
		return Event{}, nil, err
	}
	_, ms, err := s.Meetings(ctx, e.ID)
	if err != nil {
		return Event{}, nil, err
	}
	n := map[string]int{}
	for _, r := range rs {
		n["registrations"]++
		switch r.Status {
		case StatusConfirmed:
			n["confirmed"]++
		case StatusWaiting:
			n["waiting"]++
		}
		if r.CheckedInAt != nil {
			n["checked_in"]++
		}
	}
	for _, m := range ms {
		n["requested"]++
		if m.Status != MeetingAccepted {
			continue
		}
		n["accepted"]++
		if m.StartsAt != nil {
			n["held"]++
		}
		for _, o := range []string{m.OutcomeFrom, m.OutcomeTo} {
			if o != "" {
				n["outcome."+o]++
			}
		}
	}
	var out []Figure
	for _, k := range FigureKeys() {
		out = append(out, Figure{Key: k, Value: n[k]})
	}
	return e, out, nil
}

// FigureKeys lists the figures in the order they are shown.
func FigureKeys() []string {
	keys := []string{"registrations", "confirmed", "waiting", "checked_in", "requested", "accepted", "held"}
	for _, o := range Outcomes {
		keys = append(keys, "outcome."+o)
	}
	return keys
}

// Chart draws figures as a horizontal bar chart: label names each bar (in
// the reader's language); the table beside it on the page carries the
// same numbers for screen readers, so the drawing is hidden from them.
func Chart(figs []Figure, label func(key string) string) string {
	const rowH, labelW, barW = 26, 220, 360
	top := 1
	for _, f := range figs {
		top = max(top, f.Value)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="figures-chart" viewBox="0 0 %d %d" aria-hidden="true" focusable="false">`,
		labelW+barW+60, rowH*len(figs)+4)
	for i, f := range figs {
		y := i*rowH + 2
		w := float64(barW) * float64(f.Value) / float64(top)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-8, y+17, svg.Esc(label(f.Key)))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="%d"></rect>`, labelW, y+4, svg.Num(w), rowH-8)
		fmt.Fprintf(&b, `<text x="%s" y="%d">%d</text>`, svg.Num(float64(labelW)+w+6), y+17, f.Value)
	}
	b.WriteString(`</svg>`)
	return b.String()
}
