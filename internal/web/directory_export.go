package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/csvexport"
	"github.com/escnet/escnet/internal/directory"
)

// exportOrganisations writes the organisations the viewer may see as CSV.
// It is a bulk export: RED records never appear, and the export is
// audited.
func (s *Server) exportOrganisations(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r.URL.Query(), "q", "country", "kind", "cluster", "capability", "role", "membership")
	if err != nil {
		return err
	}
	if err := checkKind(f, directory.Kinds); err != nil {
		return err
	}
	f.Membership = membersByDefault(f.Membership)
	cw := csvexport.ForDownload(w, "escnet-organisations.csv")
	cw.Write("id", "slug", "name", "short_name", "kind", "sme", "practitioner_roles", "country", "city", "website", "pic", "vat", "clusters", "capabilities", "visibility", "tlp")
	err = s.dir.ExportOrganisations(r.Context(), f, r.URL.RawQuery, func(o directory.Organisation) error {
		var clusters []string
		for _, m := range o.Memberships {
			clusters = append(clusters, m.ClusterSlug)
		}
		cw.Write(o.ID, o.Slug, o.Name, o.ShortName, o.Kind, strconv.FormatBool(o.SME), strings.Join(o.PractitionerRoles, " "),
			o.Country, o.City, o.Website, o.PIC, o.VAT, strings.Join(clusters, " "), strings.Join(o.Capabilities, " "), o.Visibility, o.TLP)
		return nil
	})
	if err != nil {
		return err
	}
	return cw.Flush()
}
