package web

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

func checkKind(f directory.Filter, kinds []string) error {
	if f.Kind != "" && !slices.Contains(kinds, f.Kind) {
		var errs validate.Errors
		errs.Choice("kind", f.Kind, false, kinds...)
		return errBadRequest("Invalid query parameters.", errs)
	}
	return nil
}

// deleteBy resolves an id or slug, then deletes, answering 204.
func deleteBy[T any](w http.ResponseWriter, r *http.Request, get func(context.Context, string) (T, error), del func(context.Context, T) error) error {
	v, err := get(r.Context(), r.PathValue(pathKey(r)))
	if err != nil {
		return err
	}
	if err := del(r.Context(), v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
func pathKey(r *http.Request) string {
	if r.PathValue("code") != "" {
		return "code"
	}
	return "id"
}

// mayAddOwned checks that the viewer may add a record (a person, a
// facility) to organisation org; without one, validation names the
// missing field.
func (s *Server) mayAddOwned(ctx context.Context, org string) error {
	if org != "" {
		return s.canEditOwned(ctx, org)
	}
	if v := viewerFrom(ctx); v.Anonymous() {
		return errForbidden(v)
	}
	return nil
}

// canEditOwned checks that the viewer may change records of organisation
// org (id or slug), which the viewer must be able to see.
func (s *Server) canEditOwned(ctx context.Context, org string) error {
	if v := viewerFrom(ctx); v.Anonymous() || !v.WriteAllowed {
		return errForbidden(v)
	}
	o, err := s.db.GetOrganisation(ctx, org)
	if errors.Is(err, store.ErrNotFound) {
		return validate.Errors{{Field: "organisation_id", Code: validate.NotFound}}
	}
	if err != nil {
		return err
	}
	if v := viewerFrom(ctx); !access.CanEditOrganisationRecord(v, recordOf(o, o.Visibility, o.TLP)) {
		return errForbidden(v)
	}
	return nil
}

// keepSharing keeps a record's visibility and TLP when an update leaves
// them out, so that omitting a field never widens a record.
func keepSharing(visibility, tlp *string, curVisibility, curTLP string) {
	if *visibility == "" {
		*visibility = curVisibility
	}
	if *tlp == "" {
		*tlp = curTLP
	}
}

// getJSON answers with one record read by key; a missing or hidden record
// is the getter's ErrNotFound (404).
func getJSON[T any](w http.ResponseWriter, r *http.Request, status int, get func(context.Context, string) (T, error), key string) error {
	v, err := get(r.Context(), key)
	if err != nil {
		return err
	}
	return writeJSON(w, status, v)
}
