package directory

import (
	"context"

	"github.com/escnet/escnet/internal/access"
)

// ListPeople lists the people matching f that the viewer may see.
func (s *Service) ListPeople(ctx context.Context, f Filter) (Page[Person], error) {
	return s.store.ListPeople(ctx, f)
}

// GetPerson returns a person, if the viewer may see them.
func (s *Service) GetPerson(ctx context.Context, id string) (Person, error) {
	return s.store.GetPerson(ctx, id)
}

// CreatePerson adds a person to an organisation whose records the viewer
// may change; an organisation it cannot see is a validation error on
// organisation_id.
func (s *Service) CreatePerson(ctx context.Context, p *Person) error {
	if _, err := s.mayEditOwned(ctx, p.OrganisationID, "organisation_id"); err != nil {
		return err
	}
	if err := s.ValidatePerson(ctx, p); err != nil {
		return err
	}
	return s.store.CreatePerson(ctx, p)
}

// personRecord is the policy's view of a person.
func (s *Service) personRecord(ctx context.Context, p Person) (access.Record, error) {
	rec, err := s.ownerRecord(ctx, p.OrganisationID, p.Visibility, p.TLP)
	rec.PersonID = p.ID
	return rec, err
}

// EditablePerson returns a person the viewer may change: the person
// themself and those who may change their organisation's records.
func (s *Service) EditablePerson(ctx context.Context, id string) (Person, error) {
	cur, err := s.store.GetPerson(ctx, id)
	if err != nil {
		return cur, err
	}
	rec, err := s.personRecord(ctx, cur)
	if err != nil {
		return cur, err
	}
	if v := access.ViewerFrom(ctx); !access.CanEditPerson(v, rec) {
		return cur, refuse(v)
	}
	return cur, nil
}

// UpdatePerson replaces person p.ID with p. Leaving out the sharing keeps
// it; widening it needs the person or their organisation's
// administrators; moving a person to another organisation needs the right
// to change that organisation's records too. p.Version is the version the change was based on (0:
// no check).
func (s *Service) UpdatePerson(ctx context.Context, p *Person) error {
	cur, err := s.EditablePerson(ctx, p.ID)
	if err != nil {
		return err
	}
	rec, err := s.personRecord(ctx, cur)
	if err != nil {
		return err
	}
	keepSharing(&p.Visibility, &p.TLP, cur.Visibility, cur.TLP)
	if err := checkWiden(access.ViewerFrom(ctx), rec, cur.Visibility, cur.TLP, p.Visibility, p.TLP); err != nil {
		return err
	}
	if p.OrganisationID != "" && p.OrganisationID != cur.OrganisationID && p.OrganisationID != cur.OrganisationSlug {
		if _, err := s.mayEditOwned(ctx, p.OrganisationID, "organisation_id"); err != nil {
			return err
		}
	}
	if err := s.ValidatePerson(ctx, p); err != nil {
		return err
	}
	return s.store.UpdatePerson(ctx, p)
}

// DeletePerson removes a person from the directory: those who may change
// their organisation's records.
func (s *Service) DeletePerson(ctx context.Context, id string) error {
	p, err := s.store.GetPerson(ctx, id)
	if err != nil {
		return err
	}
	if _, err := s.mayEditOwned(ctx, p.OrganisationID, "organisation_id"); err != nil {
		return err
	}
	return s.store.DeletePerson(ctx, p.ID)
}
