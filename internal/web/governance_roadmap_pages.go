package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/store"
)

// roadmapFormPage is the form that adds or edits a roadmap item. Who may
// is the governance service's decision; the form only offers the clusters
// the viewer may name as owners.
type roadmapFormPage struct {
	layout
	Item     governance.Item // the item edited (ID empty: a new one)
	Parents  []governance.Item
	Clusters []directory.Cluster
	Kinds    []string
	Statuses []string
	Values   url.Values
	Errors   []ProblemField
}

// Value is what the form shows in a field.
func (p roadmapFormPage) Value(name string) string { return p.Values.Get(name) }

// Owner reports whether the cluster is ticked as an owner.
func (p roadmapFormPage) Owner(id string) bool { return slices.Contains(p.Values["owners"], id) }

// Shows reports whether the form has the field of a kind's dates: all of
// them on a new item, only its kind's on an edited one.
func (p roadmapFormPage) Shows(kind string) bool { return p.Item.ID == "" || p.Item.Kind == kind }

func (s *Server) roadmapFormData(r *http.Request, it governance.Item, values url.Values) (roadmapFormPage, error) {
	title := "title.roadmap_new"
	if it.ID != "" {
		title = "title.roadmap_edit"
	}
	data := roadmapFormPage{layout: s.layout(r, title, "roadmap"), Item: it, Values: values,
		Kinds: []string{governance.ItemGoal, governance.ItemAction, governance.ItemMilestone}, Statuses: governance.Statuses}
	items, err := s.gov.Roadmap(r.Context())
	if err != nil {
		return data, err
	}
	for _, p := range items {
		if p.Kind != governance.ItemMilestone && p.ID != it.ID {
			data.Parents = append(data.Parents, p)
		}
	}
	cs, err := s.dir.ListClusters(r.Context(), directory.Filter{Limit: directory.MaxListLimit})
	if err != nil {
		return data, err
	}
	v := access.ViewerFrom(r.Context())
	for _, c := range cs.Items {
		if v.AllianceAdmin || slices.Contains(v.ManagedClusters, c.ID) || slices.Contains(it.Owners, c.ID) {
			data.Clusters = append(data.Clusters, c)
		}
	}
	return data, nil
}

func itemValues(it governance.Item) url.Values {
	return url.Values{"kind": {it.Kind}, "parent_id": {it.ParentID}, "title": {it.Title}, "description": {it.Description},
		"owners": it.Owners, "starts": {it.Starts}, "ends": {it.Ends}, "due": {it.Due}, "version": {strconv.Itoa(it.Version)}}
}

func itemFromForm(f url.Values) governance.Item {
	return governance.Item{Kind: f.Get("kind"), ParentID: f.Get("parent_id"), Title: f.Get("title"), Description: f.Get("description"),
		Owners: f["owners"], Starts: f.Get("starts"), Ends: f.Get("ends"), Due: f.Get("due")}
}

func (s *Server) pageNewRoadmapItem(w http.ResponseWriter, r *http.Request) error {
	if !governance.MayAddItems(access.ViewerFrom(r.Context())) {
		return store.ErrForbidden
	}
	q := r.URL.Query()
	data, err := s.roadmapFormData(r, governance.Item{}, url.Values{"kind": {q.Get("kind")}, "parent_id": {q.Get("parent")}})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "roadmap_form", data)
}

func (s *Server) postNewRoadmapItem(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	it := itemFromForm(r.PostForm)
	if err := s.gov.AddItem(r.Context(), &it); err != nil {
		return s.formError(w, govErr(r.Context(), err), "roadmap_form", func(fe []ProblemField) any {
			data, _ := s.roadmapFormData(r, governance.Item{}, r.PostForm)
			data.Errors = fe
			return data
		})
	}
	http.Redirect(w, r, "/roadmap", http.StatusSeeOther)
	return nil
}

func (s *Server) pageEditRoadmapItem(w http.ResponseWriter, r *http.Request) error {
	it, err := s.gov.EditableItem(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	data, err := s.roadmapFormData(r, it, itemValues(it))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "roadmap_form", data)
}

func (s *Server) postEditRoadmapItem(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	cur, err := s.gov.EditableItem(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	it := itemFromForm(r.PostForm)
	it.ID = cur.ID
	if err := s.gov.UpdateItem(r.Context(), &it, formVersion(r)); err != nil {
		return s.formError(w, govErr(r.Context(), err), "roadmap_form", func(fe []ProblemField) any {
			data, _ := s.roadmapFormData(r, cur, r.PostForm)
			data.Errors = fe
			if len(fe) == 1 && fe[0].Field == "version" {
				// Stale: the next save goes through on purpose.
				data.Values.Set("version", strconv.Itoa(cur.Version))
			}
			return data
		})
	}
	http.Redirect(w, r, "/roadmap", http.StatusSeeOther)
	return nil
}

func (s *Server) postRoadmapItemStatus(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	cur, err := s.gov.EditableItem(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if _, err := s.gov.SetStatus(r.Context(), cur.ID, formVersion(r), r.PostFormValue("status"), r.PostFormValue("note")); err != nil {
		return s.formError(w, govErr(r.Context(), err), "roadmap_form", func(fe []ProblemField) any {
			data, _ := s.roadmapFormData(r, cur, itemValues(cur))
			data.Errors = fe
			return data
		})
	}
	http.Redirect(w, r, "/roadmap", http.StatusSeeOther)
	return nil
}
