package sqlstore

import (
	"testing"

	"github.com/escnet/escnet/internal/store"
)

// TestLegacyMergeRecord reads a snapshot recorded before the reference
// registry (format 0) and checks that every table it names is a declared
// reference, so that an old merge can still be undone.
func TestLegacyMergeRecord(t *testing.T) {
	body := `{"organisation":[{"id":{"t":"s","v":"o-from"}}],"roles":[{"organisation_id":{"t":"s","v":"o-from"},"role":{"t":"s","v":"police"}}],
		"participations":[["p1","999"]],"cordis_pics":["999"],"people":["pe-1"],"facilities":[],"invitations":["inv-1"],
		"added":{"roles":["police"],"memberships":["hsd"],"identifiers":[["pic","999"]]}}`
	r, err := parseMergeRecord(body)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, ref := range store.OrgReferences() {
		declared[ref.Name()] = true
	}
	for _, m := range []map[string][][]string{r.Moved, r.Added} {
		for name := range m {
			if !declared[name] {
				t.Errorf("legacy record maps to %s, which is not a declared reference", name)
			}
		}
	}
	for name := range r.Rows {
		if !declared[name] {
			t.Errorf("legacy record keeps rows of %s, which is not a declared reference", name)
		}
	}
	if got := r.Moved["participations.organisation_id"]; len(got) != 1 || got[0][0] != "p1" || got[0][1] != "999" {
		t.Errorf("moved participations = %v", got)
	}
	if got := r.Added["organisation_identifiers.organisation_id"]; len(got) != 1 || got[0][1] != "999" {
		t.Errorf("added identifiers = %v", got)
	}
	if len(r.Rows["organisation_roles.organisation_id"]) != 1 || len(r.Organisation) != 1 {
		t.Errorf("rows %v, organisation %v", r.Rows, r.Organisation)
	}
}
