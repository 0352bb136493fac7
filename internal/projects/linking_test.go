package projects_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
	"github.com/escnet/escnet/internal/validate"
)

// auditLog records audited actions.
type auditLog struct {
	mu      sync.Mutex
	actions []string
}

func (a *auditLog) Audit(_ context.Context, action, _, _, _ string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.actions = append(a.actions, action)
	return nil
}

func (a *auditLog) count(action string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, x := range a.actions {
		if x == action {
			n++
		}
	}
	return n
}

type sentMail struct{ msgs []mail.Message }

func (s *sentMail) Send(_ context.Context, m mail.Message) error {
	s.msgs = append(s.msgs, m)
	return nil
}

// member stores an organisation entered by hand in cluster c.
func member(t *testing.T, db *sqlstore.DB, c string, o directory.Organisation) directory.Organisation {
	t.Helper()
	o.Kind, o.Visibility = directory.KindResearch, access.Public
	o.Memberships = []directory.Membership{{ClusterID: c, Role: "member"}}
	must(t, directory.NewService(db).CreateOrganisation(access.AsSystem(ctx), &o))
	return o
}

// TestImportLinksEnteredOrganisations imports the real CORDIS files over
// a directory with TNO and the Belgian federal police entered by hand:
// both are linked to their records (slug kept, PIC gained, projects
// shown), a local police zone is not; undoing a link restores the record
// and a later run does not link the pair again.
func TestImportLinksEnteredOrganisations(t *testing.T) {
	forEachEngine(t, func(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
		db := newDB(t)
		sys := access.AsSystem(ctx)
		c := &directory.Cluster{Slug: "hsd", Name: "HSD", Country: "NL", Themes: []string{}}
		must(t, directory.NewService(db).CreateCluster(sys, c))
		member(t, db, c.ID, directory.Organisation{Slug: "tno", Name: "Netherlands Organisation for Applied Scientific Research TNO",
			ShortName: "TNO", Country: "NL", City: "The Hague", Website: "https://www.tno.nl"})
		police := member(t, db, c.ID, directory.Organisation{Slug: "federale-politie", Name: "Federale Politie", ShortName: "Police fédérale",
			Country: "BE", City: "Brussels", Website: "https://www.politie.be"})
		_, err := db.SQL().ExecContext(ctx, `UPDATE organisations SET kind = 'public_body' WHERE id = $1`, police.ID)
		must(t, err)
		log := &auditLog{}
		svc := projects.NewService(db, log)
		sum, err := svc.ImportFiles(admin(), realSources(t, false), projects.Options{})
		must(t, err)
		linked := map[string]string{}
		for _, l := range sum.Links.Linked {
			linked[l.Entered.Slug] = l.Record.PIC
		}
		if linked["tno"] != "999988909" || linked["federale-politie"] != "912824806" || len(linked) != 2 {
			t.Fatalf("linked %v, want tno → 999988909 and federale-politie → 912824806", linked)
		}
		if got := log.count("organisation.link"); got != 2 {
			t.Errorf("%d links audited, want 2", got)
		}
		tr, err := svc.TrackRecord(sys, "tno")
		must(t, err)
		if tr.Projects != 72 {
			t.Errorf("TNO has %d projects after the link, want 72", tr.Projects)
		}
		var pic string
		must(t, db.SQL().QueryRowContext(ctx, `SELECT COALESCE(pic, '') FROM organisations WHERE slug = 'tno'`).Scan(&pic))
		if pic != "999988909" {
			t.Errorf("TNO's PIC %q, want 999988909", pic)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM participations p JOIN organisations o ON o.id = p.organisation_id WHERE o.slug = 'federale-politie'`); n == 0 {
			t.Error("the federal police has no projects after the link")
		}
		// The local police zones stay apart.
		if n := count(t, db, `SELECT COUNT(*) FROM cordis_organisations WHERE pic IN ('936939685', '925879842') AND organisation_id = $1`, police.ID); n != 0 {
			t.Errorf("%d local police zones linked to the federal police", n)
		}

		// Undo the TNO link: the record comes back with its projects and
		// PIC; a new run does not link it again.
		ms, err := svc.Merges(admin(), 10)
		must(t, err)
		var tnoMerge string
		for _, m := range ms {
			if m.Into.Slug == "tno" {
				tnoMerge = m.ID
			}
		}
		_, err = svc.Undo(admin(), tnoMerge)
		must(t, err)
		if tr, _ := svc.TrackRecord(sys, "tno"); tr.Projects != 0 {
			t.Errorf("TNO has %d projects after the undo, want 0", tr.Projects)
		}
		run, err := svc.LinkOrganisations(admin())
		must(t, err)
		if len(run.Linked) != 0 {
			t.Errorf("a second run linked %d, want 0 (the undone link stays undone)", len(run.Linked))
		}
		// Anyone else may not run the linker.
		if _, err := svc.LinkOrganisations(access.WithViewer(ctx, access.Viewer{UserID: "m", ManagedClusters: []string{c.ID}, WriteAllowed: true})); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("a cluster manager ran the linker: %v", err)
		}
	})
}

// outsider stores an organisation known only from a CORDIS record.
func outsider(t *testing.T, db *sqlstore.DB, slug, name, pic, visibility string) directory.Organisation {
	t.Helper()
	o := directory.Organisation{Slug: slug, Name: name, Kind: directory.KindCompany, Country: "NL", PIC: pic, Visibility: visibility,
		Memberships: []directory.Membership{}}
	must(t, directory.NewService(db).CreateOrganisation(access.AsSystem(ctx), &o))
	now := time.Now().UTC()
	_, err := db.SQL().ExecContext(ctx, `INSERT INTO cordis_organisations (pic, organisation_id, name, kind, country, source_rank, content_hash, created_at, updated_at)
		VALUES ($1, $2, $3, 'company', 'NL', 'x', 'x', $4, $4)`, pic, o.ID, name, now)
	must(t, err)
	return o
}

func manager(clusters ...string) context.Context {
	v := access.Viewer{UserID: "u-manager", ManagedClusters: clusters, WriteAllowed: true}
	return access.WithScope(access.WithViewer(ctx, v), access.ScopeOf(v))
}

// TestParallelClaims: ten claims of one record at once, from two
// clusters' managers: exactly one wins, the others are conflicts on
// "organisation", and the organisation is a member of one cluster.
func TestParallelClaims(t *testing.T) {
	forEachEngine(t, func(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
		db := newDB(t)
		sys := access.AsSystem(ctx)
		dir := directory.NewService(db)
		a := &directory.Cluster{Slug: "a", Name: "A", Country: "NL", Themes: []string{}}
		b := &directory.Cluster{Slug: "b", Name: "B", Country: "NL", Themes: []string{}}
		must(t, dir.CreateCluster(sys, a))
		must(t, dir.CreateCluster(sys, b))
		o := outsider(t, db, "acme", "Acme Detection B.V.", "999000111", access.Public)
		log := &auditLog{}
		svc := projects.NewService(db, log)
		const n = 10
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				cl := a.ID
				if i%2 == 1 {
					cl = b.ID
				}
				_, errs[i] = svc.Claim(manager(cl), o.Slug, cl, "member")
			}()
		}
		close(start)
		wg.Wait()
		wins := 0
		for _, err := range errs {
			var ce *store.ConflictError
			switch {
			case err == nil:
				wins++
			case errors.As(err, &ce) && ce.Field == "organisation":
			case isValidation(err, "organisation", projects.NotOutsider):
				// Read after the winner committed: no longer an outsider.
			default:
				t.Errorf("claim: %v", err)
			}
		}
		if wins != 1 {
			t.Errorf("%d claims won, want 1", wins)
		}
		if m := count(t, db, `SELECT COUNT(*) FROM memberships WHERE organisation_id = $1`, o.ID); m != 1 {
			t.Errorf("%d memberships, want 1", m)
		}
		if got := log.count("organisation.claim"); got != 1 {
			t.Errorf("%d claims audited, want 1", got)
		}
	})
}

func isValidation(err error, field, code string) bool {
	var ve validate.Errors
	if !errors.As(err, &ve) {
		return false
	}
	for _, fe := range ve {
		if fe.Field == field && (code == "" || fe.Code == code) {
			return true
		}
	}
	return false
}

// TestLinkBadInput: a link of organisations the viewer may not both see,
// a claim of a member or of a cluster the viewer does not manage, an
// invitation to a bad address: refused, naming the field, nothing changed.
func TestLinkBadInput(t *testing.T) {
	db := storetest.NewSQLite(t)
	sys := access.AsSystem(ctx)
	dir := directory.NewService(db)
	a := &directory.Cluster{Slug: "a", Name: "A", Country: "NL", Themes: []string{}}
	b := &directory.Cluster{Slug: "b", Name: "B", Country: "NL", Themes: []string{}}
	must(t, dir.CreateCluster(sys, a))
	must(t, dir.CreateCluster(sys, b))
	mine := member(t, db, a.ID, directory.Organisation{Slug: "mine", Name: "Mine Research", Country: "NL"})
	hidden := outsider(t, db, "hidden", "Hidden Research B.V.", "999000222", access.Organisation)
	open := outsider(t, db, "open", "Open Research B.V.", "999000333", access.Public)
	sent := &sentMail{}
	svc := projects.NewService(db, &auditLog{}).WithMail(sent, "https://escnet.example")
	before := dump(t, db)

	if _, err := svc.Link(manager(a.ID), mine.Slug, hidden.Slug); !isValidation(err, "record", validate.NotFound) {
		t.Errorf("link to a hidden record: %v, want a validation error on record", err)
	}
	if _, err := svc.Link(manager(a.ID), "nowhere", open.Slug); !isValidation(err, "organisation", validate.NotFound) {
		t.Errorf("link of a missing organisation: %v, want a validation error on organisation", err)
	}
	if _, err := svc.Link(manager(b.ID), mine.Slug, open.Slug); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("link by another cluster's manager: %v, want forbidden", err)
	}
	if _, err := svc.Claim(manager(a.ID), mine.Slug, a.ID, "member"); !isValidation(err, "organisation", projects.NotOutsider) {
		t.Errorf("claim of a member: %v", err)
	}
	if _, err := svc.Claim(manager(a.ID), open.Slug, b.ID, "member"); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("claim for a cluster not managed: %v, want forbidden", err)
	}
	if _, err := svc.Claim(manager(a.ID), open.Slug, "nowhere", "member"); !isValidation(err, "cluster_id", validate.NotFound) {
		t.Errorf("claim for a missing cluster: %v", err)
	}
	if _, err := svc.Claim(manager(a.ID), open.Slug, a.ID, "boss"); !isValidation(err, "role", "") {
		t.Errorf("claim with a bad role: %v", err)
	}
	if err := svc.Invite(manager(a.ID), open.Slug, &projects.Invitation{ClusterID: a.ID, Email: "not an address"}); !isValidation(err, "email", "") {
		t.Errorf("invitation to a bad address: %v", err)
	}
	if err := svc.Invite(manager(a.ID), mine.Slug, &projects.Invitation{ClusterID: a.ID, Email: "info@mine.example"}); !isValidation(err, "organisation", projects.NotOutsider) {
		t.Errorf("invitation of a member: %v", err)
	}
	if after := dump(t, db); after != before || len(sent.msgs) != 0 {
		t.Errorf("refused requests changed something (mails %d)", len(sent.msgs))
	}

	// The good ones: an invitation is sent and recorded; a link by the
	// manager of the organisation's cluster merges the record into it.
	must(t, svc.Invite(manager(a.ID), open.Slug, &projects.Invitation{ClusterID: a.ID, Email: "info@open.example", Note: "Join us."}))
	if len(sent.msgs) != 1 || sent.msgs[0].To != "info@open.example" {
		t.Errorf("invitation mails %+v", sent.msgs)
	}
	l, err := svc.Link(manager(a.ID), mine.Slug, open.Slug)
	must(t, err)
	if l.Record.PIC != "999000333" {
		t.Errorf("linked %+v", l)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM organisations WHERE slug = 'mine' AND pic = '999000333'`); n != 1 {
		t.Error("the organisation did not gain the record's PIC")
	}
	if n := count(t, db, `SELECT COUNT(*) FROM organisation_invitations WHERE organisation_id = $1`, mine.ID); n != 1 {
		t.Error("the invitation did not move with the link")
	}
}
