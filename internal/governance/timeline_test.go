package governance_test

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/governance"
)

func TestTimeline(t *testing.T) {
	t.Parallel()
	label := func(k string) string {
		return map[string]string{"roadmap.kind.action": "Action", "roadmap.kind.milestone": "Milestone", "roadmap.status.running": "running", "roadmap.status.planned": "planned"}[k]
	}
	text := governance.TimelineText{Title: "Roadmap timeline", Desc: "2 actions, 1 milestone; the table lists them.", Label: label}
	if got := governance.Timeline([]governance.Item{{ID: "g", Kind: governance.ItemGoal, Title: "Goal"}}, "2017-01-01", text); got != "" {
		t.Errorf("no dated action: %q, want no chart", got)
	}
	items := []governance.Item{
		{ID: "g", Kind: governance.ItemGoal, Title: "Visibility <in> the EU"},
		{ID: "a1", Kind: governance.ItemAction, ParentID: "g", Title: "Joint lobby", Starts: "2016-09-01", Ends: "2017-06-30", Status: "running"},
		{ID: "a2", Kind: governance.ItemAction, ParentID: "g", Title: "KIC Security & more", Starts: "2017-01-01", Ends: "2018-12-31", Status: "planned"},
		{ID: "m1", Kind: governance.ItemMilestone, ParentID: "a1", Title: "Position paper", Due: "2017-03-01", Status: "planned"},
	}
	out := string(governance.Timeline(items, "2017-06-01", text))
	// Well-formed XML (titles escaped).
	d := xml.NewDecoder(strings.NewReader(out))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, out)
		}
	}
	for _, want := range []string{`role="img"`, `aria-labelledby="roadmap-tl-title roadmap-tl-desc"`, `<title id="roadmap-tl-title">Roadmap timeline</title>`,
		`<desc id="roadmap-tl-desc">2 actions, 1 milestone; the table lists them.</desc>`, "Visibility &lt;in&gt; the EU",
		"<title>Action: Joint lobby, 2016-09-01 – 2017-06-30, running</title>", "<title>Milestone: Position paper, 2017-03-01, planned</title>",
		"KIC Security &amp; more", ">2016</text>", ">2018</text>", `class="tl-today"`} {
		if !strings.Contains(out, want) {
			t.Errorf("timeline lacks %s", want)
		}
	}
	if n := strings.Count(out, `class="tl-bar`); n != 2 {
		t.Errorf("%d bars, want 2", n)
	}
	if n := strings.Count(out, `class="tl-milestone`); n != 1 {
		t.Errorf("%d milestones, want 1", n)
	}
	// The axis runs from 2016-01-01 to 2019-01-01 (1096 days) over the 484
	// units right of the names: 2016-09-01 is day 244, at 220 + 107.8.
	if !strings.Contains(out, `<rect class="tl-bar tl-running" x="327.8"`) {
		t.Errorf("first bar not where 2016-09-01 is:\n%s", out)
	}
	if strings.Contains(string(governance.Timeline(items, "2030-01-01", text)), "tl-today") {
		t.Error("today drawn outside the axis")
	}
}
