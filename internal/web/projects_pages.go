package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
)

// money is an amount in whole euros for a template, with the localizer to
// write it ({{template "money" .}}); unknown amounts say so.
type money struct {
	L     *Localizer
	Known bool
	Euros int64
}

func moneyOf(l *Localizer, cents *int64) money {
	if cents == nil {
		return money{L: l}
	}
	return money{L: l, Known: true, Euros: (*cents + 50) / 100}
}

type projectsPage struct {
	layout
	Form         filterForm
	Page         directory.Page[projects.Project]
	Organisation *directory.Organisation // when the list is one organisation's
}

func (s *Server) pageProjects(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	for k, v := range q {
		if len(v) == 1 && v[0] == "" {
			q.Del(k)
		}
	}
	var form filterForm
	f, err := projectFilter(q)
	if err != nil {
		var he *httpError
		if errors.As(err, &he) {
			form.Errors = fieldsOf(he.fields)
		}
		f = projects.Filter{Limit: 50}
	}
	data := projectsPage{Form: form}
	if f.Organisation != "" {
		o, err := s.dir.Store().GetOrganisation(r.Context(), f.Organisation)
		if err != nil {
			return err
		}
		data.Organisation = &o
	}
	data.Page, err = s.proj.List(r.Context(), f)
	if err != nil {
		return err
	}
	data.Form.Filter = directory.Filter{Query: f.Query, Organisation: f.Organisation}
	data.Form.NextURL = nextURL(r, data.Page.Next)
	l := s.loc(r)
	data.layout = s.layoutQ(r, l.T("project.list"), "organisations", f.Query)
	return s.render(w, http.StatusOK, "projects", data)
}

type participantView struct {
	projects.Participation
	EU money
	L  *Localizer
}

type projectPage struct {
	layout
	Project      projects.Project
	Total, EU    money
	Participants []participantView
}

func (s *Server) pageProject(w http.ResponseWriter, r *http.Request) error {
	p, err := s.proj.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	l := s.loc(r)
	data := projectPage{layout: s.layout(r, p.Acronym, "organisations"), Project: p,
		Total: moneyOf(l, p.TotalCostCents), EU: moneyOf(l, p.EUContributionCents)}
	for _, pa := range p.Participants {
		data.Participants = append(data.Participants, participantView{Participation: pa, EU: moneyOf(l, pa.EUContributionCents), L: l})
	}
	return s.render(w, http.StatusOK, "project", data)
}

// trackView is an organisation's track record for its page.
type trackView struct {
	projects.TrackRecord
	Slug   string
	EU     money
	Years  []yearView
	Roles  []labelCount
	Recent []recentView
}

type yearView struct {
	projects.YearCount
	EU money
	// Bar is the year's share of the busiest year, in percent.
	Bar int
}

type labelCount struct {
	Label string
	Count int
}

type recentView struct {
	projects.ProjectRole
	RoleLabel string
}

// trackRecord loads an organisation's track record for its page: a fixed
// number of queries, however many projects it has.
func (s *Server) trackRecord(r *http.Request, o directory.Organisation) (*trackView, error) {
	tr, err := s.proj.TrackRecord(r.Context(), o.ID)
	if err != nil {
		return nil, err
	}
	l := s.loc(r)
	eu := tr.EUContributionCents
	v := &trackView{TrackRecord: tr, Slug: o.Slug, EU: moneyOf(l, &eu)}
	most := 1
	for _, y := range tr.ByYear {
		most = max(most, y.Projects)
	}
	for _, y := range tr.ByYear {
		if y.Year == 0 {
			continue // projects without a start date
		}
		c := y.EUContributionCents
		v.Years = append(v.Years, yearView{YearCount: y, EU: moneyOf(l, &c), Bar: y.Projects * 100 / most})
	}
	slices.Reverse(v.Years) // newest first
	for _, rc := range tr.Roles {
		v.Roles = append(v.Roles, labelCount{Label: l.T("project.role." + rc.Role), Count: rc.Count})
	}
	for _, p := range tr.Recent {
		v.Recent = append(v.Recent, recentView{ProjectRole: p, RoleLabel: l.T("project.role." + p.Role)})
	}
	return v, nil
}
