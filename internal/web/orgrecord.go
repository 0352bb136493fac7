package web

import (
	"context"

	"github.com/escnet/escnet/internal/access"
)

// This helper reads the database for handlers that still decide
// permissions themselves (directory and facilities edits); it goes with
// the last of them, once their services decide.

// orgRecord returns the policy's view of an organisation-owned record.
func (s *Server) orgRecord(ctx context.Context, orgID, visibility, tlp string) (access.Record, error) {
	o, err := s.db.GetOrganisation(system(ctx), orgID)
	if err != nil {
		return access.Record{}, err
	}
	return recordOf(o, visibility, tlp), nil
}
