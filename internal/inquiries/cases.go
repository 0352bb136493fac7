package inquiries

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// View is a case as one viewer may see it.
type View struct {
	Inquiry     Inquiry      `json:"inquiry"`
	Messages    []Message    `json:"messages"`
	Suggestions *Suggestions `json:"suggestions,omitempty"`
	Can         Permissions  `json:"can"`
}

// Permissions say which steps the viewer may take on a case.
type Permissions struct {
	Triage      bool `json:"triage"`       // assign, hand off, merge, close as spam, close, reopen
	Answer      bool `json:"answer"`       // write to the requester
	Note        bool `json:"note"`         // write an internal note
	TakeHandoff bool `json:"take_handoff"` // accept or return a hand-off
	Respond     bool `json:"respond"`      // accept or decline an assignment
}

func caseOf(q Inquiry) access.Case {
	return access.Case{ClusterID: q.ClusterID, HandoffTo: q.HandoffTo, Experts: q.ActiveExperts(), TLP: q.TLP}
}

// viewer returns the viewer in ctx and the desks they staff.
func (s *Service) viewer(ctx context.Context) (access.Viewer, access.Desk, error) {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() {
		return v, access.Desk{}, nil
	}
	d, err := s.store.DeskClusters(ctx, v.UserID)
	return v, access.Desk{Clusters: d}, err
}

// visible reads a case the viewer may see; any other answers not found.
func (s *Service) visible(ctx context.Context, id string) (Inquiry, access.Viewer, access.Desk, error) {
	v, d, err := s.viewer(ctx)
	if err != nil {
		return Inquiry{}, v, d, err
	}
	q, err := s.store.GetInquiry(ctx, id)
	if err != nil {
		return q, v, d, err
	}
	if !access.CanSeeCase(v, d, caseOf(q), false) {
		return Inquiry{}, v, d, fmt.Errorf("inquiry %q: %w", id, store.ErrNotFound)
	}
	return q, v, d, nil
}

func (s *Service) permissions(v access.Viewer, d access.Desk, q Inquiry) Permissions {
	c := caseOf(q)
	p := Permissions{Triage: access.CanTriageCase(v, d, c), TakeHandoff: access.CanTakeHandoff(v, d, c)}
	p.Answer = q.Open() && access.CanAnswerCase(v, d, c)
	p.Note = q.Open() && v.WriteAllowed && access.CanSeeCase(v, d, c, false)
	if a := q.assignment(v.PersonID); a != nil && v.WriteAllowed && q.Open() {
		p.Respond = a.State == AssignPending
	}
	return p
}

// Get returns a case with its thread (internal notes included) and, for
// its desk, the routing suggestions.
func (s *Service) Get(ctx context.Context, id string) (View, error) {
	q, v, d, err := s.visible(ctx, id)
	if err != nil {
		return View{}, err
	}
	msgs, err := s.store.Messages(ctx, id, true)
	if err != nil {
		return View{}, err
	}
	view := View{Inquiry: q, Messages: msgs, Can: s.permissions(v, d, q)}
	if view.Can.Triage || view.Can.TakeHandoff {
		r, err := s.Router(ctx)
		if err != nil {
			return View{}, err
		}
		sug := r.Suggest(Query{Text: q.Question, Lang: q.Lang, Country: q.Country, Scope: access.ScopeFrom(ctx), Exclude: assigned(q)})
		view.Suggestions = &sug
	}
	return view, nil
}

func assigned(q Inquiry) []string {
	var out []string
	for _, a := range q.Assignments {
		out = append(out, a.PersonID)
	}
	return out
}

// Suggest routes a case again for its desk, with the viewer's scope.
func (s *Service) Suggest(ctx context.Context, id string) (Suggestions, error) {
	view, err := s.Get(ctx, id)
	if err != nil {
		return Suggestions{}, err
	}
	if view.Suggestions == nil {
		return Suggestions{}, store.ErrForbidden
	}
	return *view.Suggestions, nil
}

// List returns the cases the viewer may see: their desks' cases and
// those offered to them, the cases they are an expert on; everything for
// the alliance administrator.
func (s *Service) List(ctx context.Context, f Filter) ([]Inquiry, error) {
	v, d, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	if v.Anonymous() {
		return []Inquiry{}, nil
	}
	f.All = v.AllianceAdmin
	f.Clusters = append(slices.Clone(v.ManagedClusters), d.Clusters...)
	f.PersonID = v.PersonID
	f.Email = ""
	if f.State != "" && !slices.Contains(States, f.State) {
		return nil, validate.Errors{{Field: "state", Code: validate.InvalidChoice, Args: map[string]any{"choices": States}}}
	}
	return s.store.ListInquiries(ctx, f)
}

// change applies a step to a case the viewer may see, after allow says
// they may take it.
func (s *Service) change(ctx context.Context, id string, version int, allow func(access.Viewer, access.Desk, Inquiry) bool,
	step func(*Inquiry) (Step, error)) (Inquiry, error) {
	q, v, d, err := s.visible(ctx, id)
	if err != nil {
		return q, err
	}
	if !allow(v, d, q) {
		return q, store.ErrForbidden
	}
	return s.store.ChangeInquiry(ctx, id, version, func(cur *Inquiry) (Step, error) {
		if !allow(v, d, *cur) {
			return Step{}, store.ErrForbidden
		}
		st, err := step(cur)
		cur.settle()
		return st, err
	})
}

func triager(v access.Viewer, d access.Desk, q Inquiry) bool {
	return access.CanTriageCase(v, d, caseOf(q))
}

func openCase(q *Inquiry) error {
	if !q.Open() {
		return &store.ConflictError{Field: "state", Code: ErrClosed}
	}
	return nil
}

// Triage marks a case looked at, optionally with the desk's own
// capability tags (which replace the suggested ones).
func (s *Service) Triage(ctx context.Context, id string, version int, tags []string) (Inquiry, error) {
	var errs validate.Errors
	r, err := s.Router(ctx)
	if err != nil {
		return Inquiry{}, err
	}
	for i, t := range tags {
		if _, ok := r.caps[t]; !ok {
			errs.Add(fmt.Sprintf("capabilities[%d]", i), validate.NotFound)
		}
	}
	if err := errs.Err(); err != nil {
		return Inquiry{}, err
	}
	return s.change(ctx, id, version, triager, func(q *Inquiry) (Step, error) {
		if err := openCase(q); err != nil {
			return Step{}, err
		}
		if q.State == StateNew {
			q.State = StateTriaged
		}
		if tags != nil {
			q.Capabilities = slices.Clone(tags)
			q.Domain = ""
			if len(tags) > 0 {
				q.Domain = Suggestions{Capabilities: []Tag{{Code: tags[0]}}}.Domain()
			}
		}
		return Step{Action: "triage"}, nil
	})
}

// Assign asks experts to answer. Each must be a listed expert whom the
// desk member may see; the first that is not fails the whole step.
func (s *Service) Assign(ctx context.Context, id string, version int, people []string) (Inquiry, error) {
	r, err := s.Router(ctx)
	if err != nil {
		return Inquiry{}, err
	}
	scope := access.ScopeFrom(ctx)
	var errs validate.Errors
	if len(people) == 0 {
		errs.Add("experts", validate.Required)
	}
	for i, p := range people {
		if !r.ExpertVisible(p, scope) {
			errs.Add(fmt.Sprintf("experts[%d]", i), ErrNotExpert)
		}
	}
	if err := errs.Err(); err != nil {
		// An expert hidden from the viewer answers like one that does not
		// exist; still, a case the viewer may not see stays not found.
		if _, _, _, verr := s.visible(ctx, id); verr != nil {
			return Inquiry{}, verr
		}
		return Inquiry{}, err
	}
	q, err := s.change(ctx, id, version, triager, func(q *Inquiry) (Step, error) {
		if err := openCase(q); err != nil {
			return Step{}, err
		}
		for _, p := range people {
			s.addAssignment(r, q, p)
		}
		if q.State == StateNew {
			q.State = StateTriaged
		}
		return Step{Action: "assign", Detail: joinIDs(people)}, nil
	})
	if err == nil {
		for _, p := range people {
			s.notifyExpert(ctx, q, p)
		}
	}
	return q, err
}

func (s *Service) addAssignment(r *Router, q *Inquiry, person string) {
	if a := q.assignment(person); a != nil {
		a.State, a.Reason, a.DecidedAt = AssignPending, "", nil
		return
	}
	e, o, _ := r.Expert(person)
	q.Assignments = append(q.Assignments, Assignment{PersonID: person, PersonName: e.Name, OrganisationName: o.Name,
		State: AssignPending, CreatedAt: s.cfg.Now()})
}

func (s *Service) notifyExpert(ctx context.Context, q Inquiry, person string) {
	to, err := s.store.PersonEmail(ctx, person)
	if err != nil {
		s.cfg.Logger.WarnContext(ctx, "expert address", "err", err)
		return
	}
	s.send(ctx, to, "en", "mail.inquiry.assigned", "number", q.Number, "link", s.caseURL(q.ID))
}

func joinIDs(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += " "
		}
		out += id
	}
	return out
}

// Respond is an assigned expert's answer to being asked: accept, or
// decline with a reason, which asks the next suggested expert.
func (s *Service) Respond(ctx context.Context, id string, accept bool, reason string) (Inquiry, error) {
	var errs validate.Errors
	errs.Text("reason", reason, !accept, MaxReason)
	pending := func(v access.Viewer, _ access.Desk, q Inquiry) bool {
		a := q.assignment(v.PersonID)
		return v.WriteAllowed && v.PersonID != "" && a != nil && a.State == AssignPending
	}
	if _, v, d, err := s.visible(ctx, id); err != nil {
		return Inquiry{}, err
	} else if err := errs.Err(); err != nil {
		return Inquiry{}, err
	} else if q, _ := s.store.GetInquiry(ctx, id); !pending(v, d, q) {
		return Inquiry{}, store.ErrForbidden
	}
	r, err := s.Router(ctx)
	if err != nil {
		return Inquiry{}, err
	}
	person := access.ViewerFrom(ctx).PersonID
	var next string
	q, err := s.change(ctx, id, 0, pending, func(q *Inquiry) (Step, error) {
		if err := openCase(q); err != nil {
			return Step{}, err
		}
		a := q.assignment(person)
		now := s.cfg.Now()
		a.DecidedAt, a.Reason = &now, reason
		if accept {
			a.State = AssignAccepted
			return Step{Action: "accept"}, nil
		}
		a.State = AssignDeclined
		next = s.nextExpert(r, *q)
		if next != "" {
			s.addAssignment(r, q, next)
		}
		return Step{Action: "decline", Detail: next}, nil
	})
	if err == nil && next != "" {
		s.notifyExpert(ctx, q, next)
	}
	return q, err
}

// nextExpert is the best suggested expert not yet asked, among those a
// member of the holding cluster may see.
func (s *Service) nextExpert(r *Router, q Inquiry) string {
	scope := access.Scope{MinReach: 2, Clusters: []string{q.ClusterID}}
	sug := r.Suggest(Query{Text: q.Question, Lang: q.Lang, Country: q.Country, Scope: scope, Exclude: assigned(q), Limit: 1})
	if len(sug.Experts) == 0 {
		return ""
	}
	return sug.Experts[0].ID
}

// Handoff offers a case to another cluster, whose desk accepts or
// returns it.
func (s *Service) Handoff(ctx context.Context, id string, version int, cluster string) (Inquiry, error) {
	cid, err := s.store.ClusterExists(ctx, cluster)
	if errors.Is(err, store.ErrNotFound) || cluster == "" {
		if _, _, _, verr := s.visible(ctx, id); verr != nil {
			return Inquiry{}, verr
		}
		code := validate.NotFound
		if cluster == "" {
			code = validate.Required
		}
		return Inquiry{}, validate.Errors{{Field: "cluster", Code: code}}
	} else if err != nil {
		return Inquiry{}, err
	}
	q, err := s.change(ctx, id, version, triager, func(q *Inquiry) (Step, error) {
		if err := openCase(q); err != nil {
			return Step{}, err
		}
		if cid == q.ClusterID {
			return Step{}, validate.Errors{{Field: "cluster", Code: ErrSameCluster}}
		}
		q.HandoffTo = cid
		return Step{Action: "handoff", Detail: cid}, nil
	})
	if err == nil {
		emails, _ := s.store.DeskEmails(ctx, cid)
		for _, e := range emails {
			s.send(ctx, e, "en", "mail.inquiry.handoff", "number", q.Number, "link", s.caseURL(q.ID))
		}
	}
	return q, err
}

// TakeHandoff is the receiving desk's decision on a hand-off.
func (s *Service) TakeHandoff(ctx context.Context, id string, accept bool) (Inquiry, error) {
	taker := func(v access.Viewer, d access.Desk, q Inquiry) bool { return access.CanTakeHandoff(v, d, caseOf(q)) }
	return s.change(ctx, id, 0, taker, func(q *Inquiry) (Step, error) {
		if err := openCase(q); err != nil {
			return Step{}, err
		}
		to := q.HandoffTo
		q.HandoffTo = ""
		if !accept {
			return Step{Action: "handoff_return", Detail: to}, nil
		}
		q.ClusterID = to
		q.Handoffs++
		if q.State == StateNew {
			q.State = StateTriaged
		}
		return Step{Action: "handoff_accept", Detail: to}, nil
	})
}
