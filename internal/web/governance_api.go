package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// ApplicationView is an application with how it meets the criteria; the
// applicant's view (through the private link) holds only the notes meant
// for them.
type ApplicationView struct {
	governance.Application
	Results  []governance.Result `json:"results"`
	MeetsAll bool                `json:"meets_all"`
}

// NewApplication answers a submitted application: the applicant's view
// and the private link to follow it (shown once; it is also e-mailed).
type NewApplication struct {
	Application ApplicationView `json:"application"`
	Link        string          `json:"link"`
}

// ApplicationList is the reviewers' list of applications.
type ApplicationList struct {
	Items []ApplicationView `json:"items"`
}

// NoteInput is a reviewer's note: a comment among the reviewers, or a
// question to the applicant (kind "ask").
type NoteInput struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// JoinDecisionInput accepts or refuses an application; a refusal says why.
type JoinDecisionInput struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// ApplicationInput is what an applicant sends.
type ApplicationInput struct {
	Kind         string             `json:"kind"`
	Name         string             `json:"name"`
	Slug         string             `json:"slug"`
	Country      string             `json:"country"`
	City         string             `json:"city"`
	Website      string             `json:"website"`
	Description  string             `json:"description"`
	Themes       []string           `json:"themes"`
	Members      governance.Members `json:"members"`
	StaffFTE     int                `json:"staff_fte_hundredths"`
	Organisation string             `json:"organisation"`
	Contact      governance.Contact `json:"contact"`
	Managers     []string           `json:"managers"`
	Letter       string             `json:"letter_of_intent"`
}

func (in ApplicationInput) application() governance.Application {
	return governance.Application{Kind: in.Kind, Name: in.Name, Slug: in.Slug, Country: in.Country, City: in.City, Website: in.Website,
		Description: in.Description, Themes: in.Themes, Members: in.Members, StaffFTE: in.StaffFTE, Organisation: in.Organisation,
		Contact: in.Contact, Managers: in.Managers, Letter: in.Letter}
}

// ReplyInput is the applicant's answer to a question.
type ReplyInput struct {
	Text string `json:"text"`
}

// govErr turns the service's refusal into 401 for a visitor without an
// account, so that they are asked to sign in.
func govErr(ctx context.Context, err error) error {
	if errors.Is(err, store.ErrForbidden) {
		return errForbidden(viewerFrom(ctx))
	}
	return err
}

// view adds the criteria results to an application.
func (s *Server) applicationView(ctx context.Context, a governance.Application) (ApplicationView, error) {
	c, err := s.gov.Criteria(ctx)
	if err != nil {
		return ApplicationView{}, err
	}
	rs := c.Check(a)
	return ApplicationView{Application: a, Results: rs, MeetsAll: governance.MeetsAll(rs)}, nil
}

func (s *Server) apiGetCriteria(w http.ResponseWriter, r *http.Request) error {
	c, err := s.gov.Criteria(r.Context())
	if err != nil {
		return err
	}
	setETag(w, c.Version)
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) apiSetCriteria(w http.ResponseWriter, r *http.Request) error {
	expected, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var c governance.Criteria
	if err := decodeJSON(w, r, &c); err != nil {
		return err
	}
	if err := s.gov.SetCriteria(r.Context(), &c, expected); err != nil {
		return govErr(r.Context(), err)
	}
	setETag(w, c.Version)
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) apiSubmitApplication(w http.ResponseWriter, r *http.Request) error {
	var in ApplicationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	a := in.application()
	secret, err := s.gov.Submit(r.Context(), &a)
	if err != nil {
		return err
	}
	got, err := s.gov.ByToken(r.Context(), secret)
	if err != nil {
		return err
	}
	v, err := s.applicationView(r.Context(), got)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/join/"+url.PathEscape(secret))
	return writeJSON(w, http.StatusCreated, NewApplication{Application: v, Link: s.gov.Link(secret)})
}

func (s *Server) apiListApplications(w http.ResponseWriter, r *http.Request) error {
	_, errs := checkQuery(r.URL.Query(), "state")
	if len(errs) > 0 {
		return errBadRequest("Unknown or malformed query parameters.", errs)
	}
	as, err := s.gov.List(r.Context(), r.URL.Query().Get("state"))
	if err != nil {
		return govErr(r.Context(), err)
	}
	out := ApplicationList{Items: []ApplicationView{}}
	for _, a := range as {
		v, err := s.applicationView(r.Context(), a)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, v)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) respondApplication(w http.ResponseWriter, r *http.Request, a governance.Application) error {
	v, err := s.applicationView(r.Context(), a)
	if err != nil {
		return err
	}
	setETag(w, a.Version)
	return writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiGetJoinApplication(w http.ResponseWriter, r *http.Request) error {
	a, err := s.gov.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.respondApplication(w, r, a)
}

func (s *Server) apiApplicationNote(w http.ResponseWriter, r *http.Request) error {
	expected, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in NoteInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := s.applicationNote(r.Context(), r.PathValue("id"), expected, in)
	if err != nil {
		return govErr(r.Context(), err)
	}
	return s.respondApplication(w, r, a)
}

// applicationNote adds a comment or a question, as the input says.
func (s *Server) applicationNote(ctx context.Context, id string, expected int, in NoteInput) (governance.Application, error) {
	switch in.Kind {
	case governance.NoteComment, "":
		return s.gov.Comment(ctx, id, in.Text)
	case governance.NoteAsk:
		return s.gov.AskMore(ctx, id, expected, in.Text)
	}
	return governance.Application{}, validate.Errors{{Field: "kind", Code: validate.InvalidChoice, Args: map[string]any{"choices": "comment, ask"}}}
}

func (s *Server) apiDecideApplication(w http.ResponseWriter, r *http.Request) error {
	expected, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in JoinDecisionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := s.decide(r.Context(), r.PathValue("id"), expected, in)
	if err != nil {
		return govErr(r.Context(), err)
	}
	return s.respondApplication(w, r, a)
}

// decide accepts or refuses, as the input says.
func (s *Server) decide(ctx context.Context, id string, expected int, in JoinDecisionInput) (governance.Application, error) {
	switch in.Decision {
	case "accept":
		return s.gov.Accept(ctx, id, expected)
	case "refuse":
		return s.gov.Refuse(ctx, id, expected, in.Reason)
	}
	return governance.Application{}, validate.Errors{{Field: "decision", Code: validate.InvalidChoice, Args: map[string]any{"choices": "accept, refuse"}}}
}

func (s *Server) apiApplicantView(w http.ResponseWriter, r *http.Request) error {
	a, err := s.gov.ByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	v, err := s.applicationView(r.Context(), a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiApplicantReply(w http.ResponseWriter, r *http.Request) error {
	var in ReplyInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if _, err := s.gov.Reply(r.Context(), r.PathValue("token"), in.Text); err != nil {
		return err
	}
	return s.apiApplicantView(w, r)
}

// LetterList is every version of the Letter of Commitment, oldest first.
type LetterList struct {
	Items []governance.LetterVersion `json:"items"`
}

// LetterInput is a new version of the letter.
type LetterInput struct {
	Title       string                  `json:"title"`
	PublishedOn string                  `json:"published_on"`
	Texts       []governance.LetterText `json:"texts"`
}

func (s *Server) apiListLetters(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.gov.Letters(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, LetterList{Items: vs})
}

func (s *Server) apiGetLetter(w http.ResponseWriter, r *http.Request) error {
	v, err := s.gov.Letter(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiPublishLetter(w http.ResponseWriter, r *http.Request) error {
	var in LetterInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	v := governance.LetterVersion{Title: in.Title, PublishedOn: in.PublishedOn, Texts: in.Texts}
	if err := s.gov.PublishLetter(r.Context(), &v); err != nil {
		return govErr(r.Context(), err)
	}
	w.Header().Set("Location", "/api/v1/letter/"+url.PathEscape(v.ID))
	return writeJSON(w, http.StatusCreated, v)
}

func (s *Server) apiSignLetter(w http.ResponseWriter, r *http.Request) error {
	var in governance.SignInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	sig, err := s.gov.Sign(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return govErr(r.Context(), err)
	}
	return writeJSON(w, http.StatusCreated, sig)
}

// RoadmapList is the joint roadmap: goals, then actions, then milestones.
type RoadmapList struct {
	Items []governance.Item `json:"items"`
}

// ItemInput is a new roadmap item.
type ItemInput struct {
	Kind        string   `json:"kind"`
	ParentID    string   `json:"parent_id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Owners      []string `json:"owners"`
	Starts      string   `json:"starts"`
	Ends        string   `json:"ends"`
	Due         string   `json:"due"`
	Status      string   `json:"status"`
}

// StatusInput is a status update of a roadmap item.
type StatusInput struct {
	Status string `json:"status"`
	Note   string `json:"note"`
}

func (s *Server) apiRoadmap(w http.ResponseWriter, r *http.Request) error {
	items, err := s.gov.Roadmap(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, RoadmapList{Items: items})
}

func (s *Server) apiAddRoadmapItem(w http.ResponseWriter, r *http.Request) error {
	var in ItemInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	it := governance.Item{Kind: in.Kind, ParentID: in.ParentID, Title: in.Title, Description: in.Description, Owners: in.Owners,
		Starts: in.Starts, Ends: in.Ends, Due: in.Due, Status: in.Status}
	if err := s.gov.AddItem(r.Context(), &it); err != nil {
		return govErr(r.Context(), err)
	}
	setETag(w, it.Version)
	return writeJSON(w, http.StatusCreated, it)
}

func (s *Server) apiRoadmapStatus(w http.ResponseWriter, r *http.Request) error {
	expected, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in StatusInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	it, err := s.gov.SetStatus(r.Context(), r.PathValue("id"), expected, in.Status, in.Note)
	if err != nil {
		return govErr(r.Context(), err)
	}
	setETag(w, it.Version)
	return writeJSON(w, http.StatusOK, it)
}

// ItemEditInput is the new content of a roadmap item.
type ItemEditInput struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Owners      []string `json:"owners"`
	Starts      string   `json:"starts"`
	Ends        string   `json:"ends"`
	Due         string   `json:"due"`
}

func (s *Server) apiUpdateRoadmapItem(w http.ResponseWriter, r *http.Request) error {
	expected, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in ItemEditInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	it := governance.Item{ID: r.PathValue("id"), Title: in.Title, Description: in.Description, Owners: in.Owners, Starts: in.Starts, Ends: in.Ends, Due: in.Due}
	if err := s.gov.UpdateItem(r.Context(), &it, expected); err != nil {
		return govErr(r.Context(), err)
	}
	setETag(w, it.Version)
	return writeJSON(w, http.StatusOK, it)
}
