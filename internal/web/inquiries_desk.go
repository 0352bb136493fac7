package web

import (
	"net/http"

	"github.com/escnet/escnet/internal/inquiries"
)

// A cluster's desk staff: the people its managers name to triage the
// questions the cluster receives (the managers work the desk by their
// role). The API replaces the list; the page adds and removes one person
// at a time. Both check the list's version (If-Match, the form's hidden
// field).

func (s *Server) apiGetDesk(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	d, err := s.inq.Desk(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	setETag(w, d.Version)
	return writeJSON(w, http.StatusOK, d)
}

// DeskInput names a cluster's desk staff.
type DeskInput struct {
	Emails []string `json:"emails"`
}

func (s *Server) apiSetDesk(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in DeskInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	d, err := s.inq.SetDesk(r.Context(), r.PathValue("id"), in.Emails, version)
	if err != nil {
		return err
	}
	setETag(w, d.Version)
	return writeJSON(w, http.StatusOK, d)
}

// deskPage is the desk form of a cluster.
type deskPage struct {
	formPage
	Cluster string // name
	Slug    string
	Desk    inquiries.DeskList
}

func (s *Server) pageDesk(w http.ResponseWriter, r *http.Request) error {
	return s.renderDesk(w, r, http.StatusOK, nil)
}

func (s *Server) renderDesk(w http.ResponseWriter, r *http.Request, status int, fe []ProblemField) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	c, err := s.dir.GetCluster(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	d, err := s.inq.Desk(r.Context(), c.ID)
	if err != nil {
		return err
	}
	l := s.loc(r)
	page := deskPage{formPage: formPage{layout: s.layout(r, l.T("inquiries.desk_title", "cluster", c.Name), "clusters"), Values: r.PostForm, Errors: fe},
		Cluster: c.Name, Slug: c.Slug, Desk: d}
	if status == http.StatusPreconditionFailed {
		page.Errors = []ProblemField{{Field: "version", Code: "error.stale"}}
	}
	return s.render(w, status, "inquiry_desk", page)
}

func (s *Server) postDesk(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	c, err := s.dir.GetCluster(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f, version := r.PostForm, formVersion(r)
	switch f.Get("action") {
	case "add":
		_, err = s.inq.AddDesk(r.Context(), c.ID, f.Get("email"), version)
	case "remove":
		_, err = s.inq.RemoveDesk(r.Context(), c.ID, f.Get("user"), version)
	default:
		return errBadRequest("Unknown action.", nil)
	}
	if err == nil {
		http.Redirect(w, r, "/clusters/"+c.Slug+"/desk", http.StatusSeeOther)
		return nil
	}
	if p := toProblem(r, err); p.Status == http.StatusPreconditionFailed {
		return s.renderDesk(w, r, p.Status, nil)
	}
	return s.inquiryFormError(w, r, err, s.renderDesk)
}
