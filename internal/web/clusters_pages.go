package web

import (
	"net/http"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
)

// The form to add a cluster, for the alliance administrator (as POST
// /api/v1/clusters): the same fields as the cluster edit form, through
// directory.Service.CreateCluster. Nothing is stored on an error; the
// form comes back with the fields named.

func (s *Server) mayAddCluster(r *http.Request) error {
	if v := viewerFrom(r.Context()); !access.CanManageAlliance(v) || !v.WriteAllowed {
		return errForbidden(v)
	}
	return nil
}

func (s *Server) pageNewCluster(w http.ResponseWriter, r *http.Request) error {
	if err := s.mayAddCluster(r); err != nil {
		return err
	}
	data, err := s.clusterFormData(r, directory.Cluster{}, ClusterInput{Country: "NL"})
	if err != nil {
		return err
	}
	data.Title = data.L.T("title.new_cluster")
	return s.render(w, http.StatusOK, "cluster_new", data)
}

func (s *Server) postNewCluster(w http.ResponseWriter, r *http.Request) error {
	if err := s.mayAddCluster(r); err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	in := ClusterInput{Slug: f.Get("slug"), Name: f.Get("name"), Country: f.Get("country"), Region: f.Get("region"), City: f.Get("city"),
		Website: f.Get("website"), Description: f.Get("description"), Themes: f["themes"], Joined: f.Get("joined"),
		Commitment: directory.Commitment{Signed: f.Get("signed") == "on", SignedOn: f.Get("signed_on")}}
	c := in.cluster("")
	if err := s.dir.CreateCluster(r.Context(), c); err != nil {
		data, derr := s.clusterFormData(r, directory.Cluster{}, in)
		if derr != nil {
			return derr
		}
		data.Title = data.L.T("title.new_cluster")
		return s.formError(w, err, "cluster_new", func(fe []ProblemField) any {
			data.Errors = fe
			return data
		})
	}
	http.Redirect(w, r, "/clusters/"+c.Slug, http.StatusSeeOther)
	return nil
}
