package eval

import (
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/match"
)

// CORDIS collects the records of CORDIS files so that the evaluation can
// run straight on the exports (the CLI passes what it loaded from the
// database instead).
type CORDIS struct {
	Projects       []cordis.Project
	Participations []cordis.Participation
	Topics         []cordis.Topic
	// Skipped counts rows the reader refused.
	Skipped int
}

// Read adds every record of r; rows the reader refuses are counted, not
// fatal, as in the importer.
func (c *CORDIS) Read(r *cordis.Reader) error {
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return nil
		}
		var re *cordis.RowError
		if errors.As(err, &re) {
			c.Skipped++
			continue
		}
		if err != nil {
			return err
		}
		switch {
		case rec.Project != nil:
			c.Projects = append(c.Projects, *rec.Project)
		case rec.Participation != nil:
			c.Participations = append(c.Participations, *rec.Participation)
		case rec.Topic != nil:
			c.Topics = append(c.Topics, *rec.Topic)
		}
	}
}

// Snapshot turns the records into the matcher's snapshot: organisations
// are identified by PIC and described as their latest participation
// describes them; topics get their titles and call names from the
// reference file.
func (c *CORDIS) Snapshot() match.Snapshot {
	topics := map[string]cordis.Topic{}
	for _, t := range c.Topics {
		topics[t.Code] = t
	}
	byProject := map[string][]cordis.Participation{}
	orgs := map[string]match.Org{}
	var orgOrder []string
	for _, p := range c.Participations {
		byProject[p.ProjectID] = append(byProject[p.ProjectID], p)
		if _, ok := orgs[p.PIC]; !ok {
			orgOrder = append(orgOrder, p.PIC)
		}
		orgs[p.PIC] = match.Org{ID: p.PIC, Name: p.Name, ShortName: p.ShortName, Kind: p.Kind,
			SME: p.SME, Country: p.Country}
	}
	s := match.Snapshot{Orgs: make([]match.Org, 0, len(orgs))}
	for _, id := range orgOrder {
		s.Orgs = append(s.Orgs, orgs[id])
	}
	seen := map[string]bool{}
	for _, p := range c.Projects {
		if seen[p.ID] {
			continue // the same project in two exports
		}
		seen[p.ID] = true
		mp := match.Project{ID: p.ID, Acronym: p.Acronym, Title: p.Title, Objective: p.Objective,
			Start: p.StartDate, Scheme: p.FundingScheme, Call: p.Call, Subjects: p.Subjects}
		for _, code := range p.Topics {
			t := topics[code]
			mp.Topics = append(mp.Topics, match.Topic{Code: code, Title: t.Title, CallName: t.CallName})
		}
		parts := byProject[p.ID]
		// Coordinator first, as in the consortium's own listing.
		slices.SortStableFunc(parts, func(a, b cordis.Participation) int {
			return boolRank(a.Role == cordis.RoleCoordinator) - boolRank(b.Role == cordis.RoleCoordinator)
		})
		for _, pt := range parts {
			mp.Participants = append(mp.Participants, match.Participant{OrgID: pt.PIC, Role: strings.ToLower(pt.Role)})
		}
		s.Projects = append(s.Projects, mp)
	}
	return s
}

func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}
