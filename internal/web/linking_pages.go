package web

import (
	"errors"
	"net/http"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// The directory's switch between the alliance's members and the
// organisations known only from EU records (linking, issue 11).

// membersByDefault is the membership a list shows when none is asked:
// the alliance's members.
func membersByDefault(m string) string {
	if m == "" {
		return directory.MembershipMembers
	}
	return m
}

// toggleChoice is one choice of a switch: its label key, the URL that
// selects it (the other parameters kept) and whether it is the current one.
type toggleChoice struct {
	Label   string
	URL     string
	Current bool
}

// membershipToggle is the members / outsiders / all switch of a list.
func membershipToggle(r *http.Request, current string) []toggleChoice {
	var out []toggleChoice
	for _, m := range directory.MembershipChoices {
		q := r.URL.Query()
		q.Del("cursor")
		if m == directory.MembershipMembers {
			q.Del("membership")
		} else {
			q.Set("membership", m)
		}
		u := r.URL.Path
		if enc := q.Encode(); enc != "" {
			u += "?" + enc
		}
		out = append(out, toggleChoice{Label: "links.membership." + m, URL: u, Current: m == current})
	}
	return out
}

// linkingKeyFamilies are the message keys these pages build at run time.
func linkingKeyFamilies() map[string][]string {
	return map[string][]string{
		"links.reason.":     projects.LinkReasonCodes,
		"links.membership.": directory.MembershipChoices,
		"links.":            {"claimed", "invited"}, // messages after a claim, an invitation
	}
}

// orgLinking is the part of an organisation's page about an organisation
// known only from EU records: the mark, and for the managers of clusters
// the forms to claim it as a member or to invite it to join.
type orgLinking struct {
	OnlyEU   bool
	Clusters []directory.Cluster // clusters the viewer may add it to
	Roles    []string
	Message  string
	Errors   []ProblemField
}

func (s *Server) orgLinking(r *http.Request, o directory.Organisation) (orgLinking, error) {
	l := orgLinking{OnlyEU: len(o.Memberships) == 0 && o.PIC != "", Roles: directory.MembershipRoles}
	if !l.OnlyEU {
		return l, nil
	}
	v := viewerFrom(r.Context())
	if !v.WriteAllowed || !v.AllianceAdmin && len(v.ManagedClusters) == 0 {
		return l, nil
	}
	cl, err := s.dir.ListClusters(r.Context(), directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
	if err != nil {
		return l, err
	}
	for _, c := range cl.Items {
		if directory.MayChangeMembership(v, c.ID) {
			l.Clusters = append(l.Clusters, c)
		}
	}
	return l, nil
}

// postClaim claims the organisation of the page for a cluster (the form
// of its page).
func (s *Server) postClaim(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	_, err := s.proj.Claim(r.Context(), r.PathValue("slug"), r.PostForm.Get("cluster_id"), r.PostForm.Get("role"))
	return s.linkingResult(w, r, err, "links.claimed")
}

// postJoinInvitation invites the organisation of the page to join a cluster.
func (s *Server) postJoinInvitation(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	inv := &projects.Invitation{ClusterID: r.PostForm.Get("cluster_id"), Email: r.PostForm.Get("email"), Note: r.PostForm.Get("note")}
	err := s.proj.Invite(r.Context(), r.PathValue("slug"), inv)
	return s.linkingResult(w, r, err, "links.invited")
}

// linkingResult shows the organisation's page after a claim or an
// invitation: the message, or the errors naming the fields.
func (s *Server) linkingResult(w http.ResponseWriter, r *http.Request, err error, done string) error {
	if errors.Is(err, store.ErrForbidden) || errors.Is(err, store.ErrNotFound) {
		return err
	}
	data, derr := s.organisationData(r)
	if derr != nil {
		return derr
	}
	if err != nil {
		return s.formError(w, err, "organisation", func(fe []ProblemField) any {
			data.Linking.Errors = fe
			return data
		})
	}
	data.Linking.Message = done
	return s.render(w, http.StatusOK, "organisation", data)
}

// entryOffer is what the form for a new organisation offers when the
// organisation may be known already from EU records: the records, and the
// cluster (the first the form makes it a member of) to claim one for.
type entryOffer struct {
	Records []projects.PlannedLink
	Cluster string
	Role    string
}

func (s *Server) entryOffer(r *http.Request, o *directory.Organisation) (entryOffer, error) {
	var off entryOffer
	if o.Name == "" {
		return off, nil
	}
	recs, err := s.proj.MatchingRecords(r.Context(), projects.LinkRecord{Name: o.Name, ShortName: o.ShortName, Kind: o.Kind,
		Country: o.Country, City: o.City, Website: o.Website, PIC: o.PIC, VAT: o.VAT})
	if err != nil {
		var ve validate.Errors
		if errors.As(err, &ve) || errors.Is(err, store.ErrForbidden) {
			return off, nil // the form's own validation says what is wrong
		}
		return off, err
	}
	off.Records = recs
	if len(o.Memberships) > 0 {
		off.Cluster, off.Role = o.Memberships[0].ClusterID, o.Memberships[0].Role
	}
	return off, nil
}
