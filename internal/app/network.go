package app

import (
	"context"

	"github.com/escnet/escnet/internal/network"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// Network answers who worked with whom in imported projects, as drawing
// input for internal/network.
type Network struct {
	db *sqlstore.DB
}

// Collaboration returns the focus organisations, their top partners (at
// most limit) and the shared projects between them, limited to what the
// viewer in ctx may see. Nodes link to the organisations' pages.
func (n *Network) Collaboration(ctx context.Context, focus []string, limit int) ([]network.Node, []network.Edge, error) {
	nodes, edges, err := n.db.CollaborationNetwork(ctx, focus, limit)
	if err != nil {
		return nil, nil, err
	}
	var nn []network.Node
	for _, x := range nodes {
		nn = append(nn, network.Node{ID: x.ID, Label: x.Name, Kind: x.Kind, Country: x.Country, URL: "/organisations/" + x.Slug, Focus: x.Focus})
	}
	var ee []network.Edge
	for _, e := range edges {
		ee = append(ee, network.Edge{From: e.From, To: e.To, Weight: e.Projects})
	}
	return nn, ee, nil
}
