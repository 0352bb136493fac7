package web

import (
	"html/template"
	"net/http"

	"github.com/escnet/escnet/internal/network"
)

// networkView is a drawn collaboration network with its legend and table
// (the table is the accessible equivalent of the drawing).
type networkView struct {
	SVG    template.HTML
	Empty  bool
	Legend []network.LegendItem
	Rows   []network.Row
}

// collaborationNetwork draws who worked with whom in imported projects
// around the focus organisations, limited to what the viewer may see.
func (s *Server) collaborationNetwork(r *http.Request, l *Localizer, id, title string, focus []string) (*networkView, error) {
	nn, ee, err := s.network.Collaboration(r.Context(), focus, 25)
	if err != nil {
		return nil, err
	}
	d := network.Draw(nn, ee, network.Options{
		ID:        id,
		Title:     title,
		Desc:      l.T("network.desc"),
		Unit:      [2]string{l.N("network.unit", 1), l.N("network.unit", 2)},
		EmptyText: l.T("network.empty"),
		KindLabel: func(kind string) string { return l.T("kind." + kind) },
	})
	return &networkView{SVG: d.SVG, Empty: d.Empty, Legend: d.Legend, Rows: d.Rows}, nil
}
