package demo

import (
	"context"
	"fmt"

	"github.com/escnet/escnet/internal/directory"
)

// Counts says how many records a load wrote.
type Counts struct {
	Clusters, Organisations, People, Facilities int
}

// Empty reports whether the directory holds no clusters and no
// organisations, the condition under which the demo may be loaded.
func Empty(ctx context.Context, s directory.Store) (bool, error) {
	c, err := s.ListClusters(ctx, directory.Filter{Limit: 1})
	if err != nil {
		return false, err
	}
	o, err := s.ListOrganisations(ctx, directory.Filter{Limit: 1})
	if err != nil {
		return false, err
	}
	return c.Total == 0 && o.Total == 0, nil
}

// Load writes the demonstration alliance through the directory's rules, so
// the demo is held to the same validation as any other input.
func Load(ctx context.Context, svc *directory.Service) (Counts, error) {
	var n Counts
	d := Alliance()
	for i := range d.Clusters {
		c := &d.Clusters[i]
		if err := svc.CreateCluster(ctx, c); err != nil {
			return n, fmt.Errorf("demo cluster %s: %w", c.Slug, err)
		}
		n.Clusters++
	}
	for i := range d.Organisations {
		o := &d.Organisations[i]
		if err := svc.CreateOrganisation(ctx, o); err != nil {
			return n, fmt.Errorf("demo organisation %s: %w", o.Slug, err)
		}
		n.Organisations++
	}
	for i := range d.People {
		p := &d.People[i]
		if err := svc.CreatePerson(ctx, p); err != nil {
			return n, fmt.Errorf("demo person %s: %w", p.Name, err)
		}
		n.People++
	}
	for i := range d.Facilities {
		f := &d.Facilities[i]
		if err := svc.CreateFacility(ctx, f); err != nil {
			return n, fmt.Errorf("demo facility %s: %w", f.Slug, err)
		}
		n.Facilities++
	}
	return n, nil
}
