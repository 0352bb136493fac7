package governance_test

import (
	"context"
	"errors"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

func TestLetterOfCommitment(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e env) {
		sys := access.AsSystem(context.Background())
		var cs []directory.Cluster
		for _, c := range []directory.Cluster{{Slug: "hsd", Name: "The Hague Security Delta", Country: "NL"}, {Slug: "safe", Name: "SAFE Cluster", Country: "FR"}} {
			if err := e.dir.CreateCluster(sys, &c); err != nil {
				t.Fatal(err)
			}
			cs = append(cs, c)
		}
		manager := access.WithViewer(context.Background(), access.Viewer{UserID: "mgr", Email: "mgr@hsd.test", ManagedClusters: []string{cs[0].ID}, WriteAllowed: true})

		v := governance.LetterVersion{Title: "Letter of Commitment", PublishedOn: "2016-06-01",
			Texts: []governance.LetterText{{Lang: "en", Text: "We commit."}, {Lang: "nl", Text: "Wij verbinden ons."}}}
		if err := e.gov.PublishLetter(manager, &v); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("a cluster manager publishes: %v, want forbidden", err)
		}
		bad := governance.LetterVersion{Title: "Bad", PublishedOn: "2016-06-01", Texts: []governance.LetterText{{Lang: "en", Text: "A"}, {Lang: "EN", Text: "B"}}}
		if err := e.gov.PublishLetter(admin, &bad); !hasError(err, "texts[1].lang", validate.Duplicate) {
			t.Errorf("two English texts: %v", err)
		}
		if err := e.gov.PublishLetter(admin, &v); err != nil {
			t.Fatal(err)
		}
		if v.Number != 1 {
			t.Errorf("first version number %d", v.Number)
		}

		in := governance.SignInput{ClusterID: cs[0].ID, SignerName: "Joris den Bruinen", Place: "HSD Campus"}
		if _, err := e.gov.Sign(manager, v.ID, in); !hasError(err, "confirm", validate.Required) {
			t.Errorf("sign without confirming: %v", err)
		}
		in.Confirm = true
		for name, ctx := range map[string]context.Context{"anonymous": anon, "member": member, "alliance admin (online)": admin} {
			if _, err := e.gov.Sign(ctx, v.ID, in); !errors.Is(err, store.ErrForbidden) {
				t.Errorf("%s signs for a cluster they do not manage: %v, want forbidden", name, err)
			}
		}
		other := in
		other.ClusterID = cs[1].ID
		if _, err := e.gov.Sign(manager, v.ID, other); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("manager signs for another cluster: %v, want forbidden", err)
		}
		if _, err := e.gov.Sign(audit.WithActor(manager, audit.Actor{UserID: "mgr", Label: "mgr@hsd.test"}), v.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, err := e.gov.Sign(manager, v.ID, in); !hasError(err, "cluster_id", validate.Duplicate) {
			t.Errorf("second signature of the same version: %v", err)
		}
		// The store refuses a second signature too, naming the field.
		twice := governance.Signature{VersionID: v.ID, ClusterID: cs[0].ID, SignerName: "X", SignedOn: "2016-06-02"}
		var ce *store.ConflictError
		if err := e.db.CreateSignature(sys, &twice, "letter.sign"); !errors.As(err, &ce) || ce.Field != "cluster_id" {
			t.Errorf("store: second signature: %v", err)
		}
		paper := governance.SignInput{ClusterID: cs[1].ID, SignerName: "Pôle SAFE", Paper: true, SignedOn: "2016-06-02", Place: "HSD Campus"}
		if _, err := e.gov.Sign(admin, v.ID, paper); !hasError(err, "scan_reference", validate.Required) {
			t.Errorf("paper signature without scan: %v", err)
		}
		paper.ScanRef = "archive/loc-2016-safe.pdf"
		if _, err := e.gov.Sign(admin, v.ID, paper); err != nil {
			t.Fatal(err)
		}
		got, err := e.gov.Letter(anon, v.ID)
		if err != nil || len(got.Signatures) != 2 || len(got.Texts) != 2 {
			t.Fatalf("letter = %+v, %v", got, err)
		}
		entries, err := e.db.AuditLog(sys, audit.Filter{Action: "letter.sign"})
		if err != nil || len(entries) != 1 || entries[0].EntityID != cs[0].ID || entries[0].Actor.UserID != "mgr" {
			t.Errorf("audit of the signature = %+v, %v", entries, err)
		}
		all, _ := e.gov.Letters(anon)
		if st := governance.StatusOf(all, cs[1].ID); st.Signed == nil || !st.Signed.Paper || !st.Current || st.Number != 1 {
			t.Errorf("status of %s = %+v", cs[1].Slug, st)
		}
		v2 := governance.LetterVersion{Title: "Letter of Commitment, 2nd version", PublishedOn: "2017-01-10", Texts: []governance.LetterText{{Lang: "en", Text: "We commit again."}}}
		if err := e.gov.PublishLetter(admin, &v2); err != nil || v2.Number != 2 {
			t.Fatalf("second version: %d, %v", v2.Number, err)
		}
		all, _ = e.gov.Letters(anon)
		if st := governance.StatusOf(all, cs[0].ID); st.Signed == nil || st.Current || st.Number != 1 {
			t.Errorf("after a new version, status = %+v, want signed version 1, not current", st)
		}
	})
}
