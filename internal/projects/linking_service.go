package projects

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	escmail "github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// AlreadyClaimed: the organisation is a member of a cluster already, or
// another claim of it won (message key).
const AlreadyClaimed = "error.already_claimed"

// NotOutsider: the organisation is a member of a cluster already, so it
// cannot be invited or claimed (message key).
const NotOutsider = "error.not_outsider"

// LinkStore is what linking needs from a storage engine besides Store.
type LinkStore interface {
	LinkKeys(ctx context.Context) ([]LinkKey, error)
	LinkUndonePairs(ctx context.Context) (map[[2]string]bool, error)
	LinkPIC(ctx context.Context, id, pic string) error
	LinkClaim(ctx context.Context, id, cluster, role string) (Claim, error)
	LinkInvite(ctx context.Context, inv *Invitation) error
	LinkCluster(ctx context.Context, key string) (id, slug, name string, err error)
	// LinkVisible returns organisation key (id or slug) if the viewer in
	// ctx may see it (store.ErrNotFound otherwise).
	LinkVisible(ctx context.Context, key string) (LinkKey, error)
}

// Claim records that a cluster took an organisation known only from EU
// records as its member.
type Claim struct {
	OrganisationID string    `json:"organisation_id"`
	ClusterID      string    `json:"cluster_id"`
	Role           string    `json:"role"`
	ClaimedBy      string    `json:"claimed_by"`
	ClaimedAt      time.Time `json:"claimed_at"`
}

// Invitation is a cluster manager's invitation to an organisation known
// only from EU records to join the cluster.
type Invitation struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisation_id"`
	ClusterID      string    `json:"cluster_id"`
	Email          string    `json:"email"`
	Note           string    `json:"note,omitempty"`
	InvitedBy      string    `json:"invited_by"`
	CreatedAt      time.Time `json:"created_at"`
}

// LinkRun is what a run of the linker did.
type LinkRun struct {
	Linked     []PlannedLink `json:"linked"`
	Candidates int           `json:"candidates"`
	Refused    int           `json:"refused"` // links the store refused (merged away meanwhile, in use)
}

// WithMail sets the sender of invitations and the base URL their links
// start with.
func (s *Service) WithMail(m escmail.Sender, baseURL string) *Service {
	s.mail, s.baseURL = m, strings.TrimRight(baseURL, "/")
	return s
}

func (s *Service) links() (LinkStore, error) {
	ls, ok := s.store.(LinkStore)
	if !ok {
		return nil, fmt.Errorf("projects: the store keeps no links")
	}
	return ls, nil
}

// LinkOrganisations runs the linker over the directory (or, with orgs,
// over those entered organisations, ids or slugs): each strong link merges
// the CORDIS-only organisation into the entered one, which keeps its slug
// and gains the PIC and the record's projects; each link is audited and
// undone like a merge. The alliance administrator runs it (an import does).
func (s *Service) LinkOrganisations(ctx context.Context, orgs ...string) (run LinkRun, err error) {
	defer wrap(&err, "projects.LinkOrganisations")
	if err := mayMerge(ctx, true); err != nil {
		return run, err
	}
	return s.linkRun(system(ctx), orgs)
}

func (s *Service) linkRun(ctx context.Context, orgs []string) (run LinkRun, err error) {
	ls, err := s.links()
	if err != nil {
		return run, err
	}
	keys, err := ls.LinkKeys(ctx)
	if err != nil {
		return run, err
	}
	skip, err := s.linkSkips(ctx, ls)
	if err != nil {
		return run, err
	}
	var only map[string]bool
	if len(orgs) > 0 {
		only = map[string]bool{}
		for _, k := range keys {
			if slices.Contains(orgs, k.ID) || slices.Contains(orgs, k.Slug) {
				only[k.ID] = true
			}
		}
	}
	links, cands := PlanLinks(keys, skip, only)
	run.Candidates = len(cands)
	run.Linked = []PlannedLink{}
	for _, l := range links {
		if err := s.applyLink(ctx, ls, l); err != nil {
			if isConflict(err) {
				run.Refused++
				continue
			}
			return run, err
		}
		run.Linked = append(run.Linked, l)
	}
	return run, nil
}

// linkSkips are the pairs never linked again: marked distinct, or a merge
// of them undone.
func (s *Service) linkSkips(ctx context.Context, ls LinkStore) (map[[2]string]bool, error) {
	skip, err := s.store.DistinctPairs(ctx)
	if err != nil {
		return nil, err
	}
	undone, err := ls.LinkUndonePairs(ctx)
	if err != nil {
		return nil, err
	}
	for k := range undone {
		skip[k] = true
	}
	return skip, nil
}

// applyLink merges l.Record into l.Entered, gives it the PIC and audits
// the link with its evidence.
func (s *Service) applyLink(ctx context.Context, ls LinkStore, l PlannedLink) error {
	m, err := s.store.MergeOrganisations(ctx, l.Entered.ID, l.Record.ID)
	if err != nil {
		return err
	}
	if l.Record.PIC != "" && l.Entered.PIC == "" {
		if err := ls.LinkPIC(ctx, l.Entered.ID, l.Record.PIC); err != nil {
			return err
		}
	}
	return s.audit.Audit(ctx, "organisation.link", "organisation", l.Entered.ID,
		fmt.Sprintf("linked CORDIS record %s (PIC %s) to %s as merge %s; evidence %.1f: %s", l.Record.Name, l.Record.PIC, l.Entered.Name, m.ID,
			l.Evidence.Score, reasonsLine(l.Evidence.Reasons)))
}

func reasonsLine(rs []LinkReason) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Code
		if r.Value != "" {
			parts[i] += "=" + r.Value
		}
	}
	return strings.Join(parts, ", ")
}

func isConflict(err error) bool {
	var ce *store.ConflictError
	return errors.As(err, &ce)
}

// Link links organisation org (id or slug, an entered organisation) to
// record (a CORDIS-only organisation) whatever the evidence says: a person
// decided. The alliance administrator, or a manager of one of org's
// clusters, with a read-write credential; both must be visible to the
// viewer, else a validation error names the field ("organisation",
// "record") and nothing changes.
func (s *Service) Link(ctx context.Context, org, record string) (l PlannedLink, err error) {
	defer wrap(&err, "projects.Link(%q, %q)", org, record)
	ls, err := s.links()
	if err != nil {
		return l, err
	}
	v := access.ViewerFrom(ctx)
	if !v.WriteAllowed || v.Anonymous() {
		return l, store.ErrForbidden
	}
	e, r, err := s.visiblePair(ctx, ls, org, record)
	if err != nil {
		return l, err
	}
	if !v.AllianceAdmin && !slices.ContainsFunc(e.Clusters, func(c string) bool { return slices.Contains(v.ManagedClusters, c) }) {
		return l, store.ErrForbidden
	}
	var errs validate.Errors
	switch {
	case e.ID == r.ID:
		errs.Add("record", validate.InvalidChoice, "choices", "an organisation other than organisation")
	case !e.Entered():
		errs.Add("organisation", NotOutsider)
	case !r.OnlyCORDIS():
		errs.Add("record", NotOutsider)
	}
	if err := errs.Err(); err != nil {
		return l, err
	}
	ev := NewLinkCorpus(nil).Compare(e.LinkRecord, r.LinkRecord)
	ev.Reasons = sortEvidence(ev.Reasons)
	l = PlannedLink{Entered: e.Ref(), Record: r.Ref(), Evidence: ev}
	return l, s.applyLink(system(ctx), ls, l)
}

// visiblePair reads two organisations as the viewer sees them: one the
// viewer may not see is a validation error on its field.
func (s *Service) visiblePair(ctx context.Context, ls LinkStore, a, b string) (LinkKey, LinkKey, error) {
	var errs validate.Errors
	ka, erra := ls.LinkVisible(ctx, strings.TrimSpace(a))
	kb, errb := ls.LinkVisible(ctx, strings.TrimSpace(b))
	for _, x := range []struct {
		field, key string
		err        error
	}{{"organisation", a, erra}, {"record", b, errb}} {
		switch {
		case strings.TrimSpace(x.key) == "":
			errs.Add(x.field, validate.Required)
		case errors.Is(x.err, store.ErrNotFound):
			errs.Add(x.field, validate.NotFound)
		case x.err != nil:
			return ka, kb, x.err
		}
	}
	return ka, kb, errs.Err()
}

// LinkCandidates returns what the linker says of organisation org (id or
// slug) against the CORDIS-only organisations: its automatic links and
// candidates, with reasons. Those who may merge or manage one of its
// clusters ask.
func (s *Service) LinkCandidates(ctx context.Context, org string) (out []PlannedLink, err error) {
	defer wrap(&err, "projects.LinkCandidates(%q)", org)
	ls, err := s.links()
	if err != nil {
		return nil, err
	}
	e, err := ls.LinkVisible(ctx, org)
	if err != nil {
		return nil, err
	}
	v := access.ViewerFrom(ctx)
	if !v.AllianceAdmin && !slices.ContainsFunc(e.Clusters, func(c string) bool { return slices.Contains(v.ManagedClusters, c) }) {
		return nil, store.ErrForbidden
	}
	keys, err := ls.LinkKeys(system(ctx))
	if err != nil {
		return nil, err
	}
	skip, err := s.linkSkips(system(ctx), ls)
	if err != nil {
		return nil, err
	}
	links, cands := PlanLinks(keys, skip, map[string]bool{e.ID: true})
	out = append(links, cands...)
	if out == nil {
		out = []PlannedLink{}
	}
	return out, nil
}

// MatchingRecords returns the organisations known only from EU records
// that an organisation about to be entered may be (at most 10): the offer
// to claim one instead of entering a twin. Those who may enter
// organisations ask.
func (s *Service) MatchingRecords(ctx context.Context, entry LinkRecord) (out []PlannedLink, err error) {
	defer wrap(&err, "projects.MatchingRecords")
	if !directory.MayCreateOrganisation(access.ViewerFrom(ctx)) {
		return nil, store.ErrForbidden
	}
	var errs validate.Errors
	entry.Name = strings.TrimSpace(entry.Name)
	errs.Text("name", entry.Name, true, 300)
	if entry.Country != "" && normCountry(entry.Country) == "" {
		errs.Add("country", validate.InvalidCountry)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	ls, err := s.links()
	if err != nil {
		return nil, err
	}
	keys, err := ls.LinkKeys(ctx)
	if err != nil {
		return nil, err
	}
	visible := keys[:0]
	for _, k := range keys {
		if k.OnlyCORDIS() {
			visible = append(visible, k)
		}
	}
	out = MatchEntry(visible, entry, 10)
	if out == nil {
		out = []PlannedLink{}
	}
	return out, nil
}

// Claim makes organisation org (id or slug), known only from EU records, a
// member of cluster (id or slug) in role: a manager of that cluster or
// the alliance administrator, who may see the organisation. Of two claims
// at once exactly one wins; the other is a *store.ConflictError on
// "organisation". Audited.
func (s *Service) Claim(ctx context.Context, org, cluster, role string) (c Claim, err error) {
	defer wrap(&err, "projects.Claim(%q, %q)", org, cluster)
	ls, err := s.links()
	if err != nil {
		return c, err
	}
	v := access.ViewerFrom(ctx)
	if !v.WriteAllowed || v.Anonymous() {
		return c, store.ErrForbidden
	}
	var errs validate.Errors
	if role == "" {
		role = directory.MemberRoleMember
	}
	errs.Choice("role", role, true, directory.MembershipRoles...)
	o, oerr := ls.LinkVisible(ctx, strings.TrimSpace(org))
	switch {
	case strings.TrimSpace(org) == "":
		errs.Add("organisation", validate.Required)
	case errors.Is(oerr, store.ErrNotFound):
		errs.Add("organisation", validate.NotFound)
	case oerr != nil:
		return c, oerr
	case !o.OnlyCORDIS():
		errs.Add("organisation", NotOutsider)
	}
	cid, _, cname, cerr := s.cluster(ctx, ls, cluster, &errs)
	if cerr != nil {
		return c, cerr
	}
	if err := errs.Err(); err != nil {
		return c, err
	}
	if !directory.MayChangeMembership(v, cid) {
		return c, store.ErrForbidden
	}
	if c, err = ls.LinkClaim(system(ctx), o.ID, cid, role); err != nil {
		return c, err
	}
	return c, s.audit.Audit(ctx, "organisation.claim", "organisation", o.ID,
		fmt.Sprintf("%s (PIC %s) claimed for cluster %s as %s", o.Name, o.PIC, cname, role))
}

func (s *Service) cluster(ctx context.Context, ls LinkStore, key string, errs *validate.Errors) (id, slug, name string, err error) {
	if strings.TrimSpace(key) == "" {
		errs.Add("cluster_id", validate.Required)
		return "", "", "", nil
	}
	id, slug, name, err = ls.LinkCluster(ctx, strings.TrimSpace(key))
	if ve, ok := err.(validate.Errors); ok {
		*errs = append(*errs, ve...)
		return "", "", "", nil
	}
	return id, slug, name, err
}

// Invite sends an invitation to join cluster to organisation org (known
// only from EU records) at address email, through the mail sender: a
// manager of the cluster or the alliance administrator. Recorded and
// audited.
func (s *Service) Invite(ctx context.Context, org string, inv *Invitation) (err error) {
	defer wrap(&err, "projects.Invite(%q)", org)
	ls, err := s.links()
	if err != nil {
		return err
	}
	v := access.ViewerFrom(ctx)
	if !v.WriteAllowed || v.Anonymous() {
		return store.ErrForbidden
	}
	var errs validate.Errors
	inv.Email, inv.Note = strings.TrimSpace(inv.Email), strings.TrimSpace(inv.Note)
	if inv.Email == "" {
		errs.Add("email", validate.Required)
	} else if a, perr := mail.ParseAddress(inv.Email); perr != nil || a.Address != inv.Email || len(inv.Email) > 254 {
		errs.Add("email", validate.InvalidFormat)
	}
	errs.Text("note", inv.Note, false, 2000)
	o, oerr := ls.LinkVisible(ctx, strings.TrimSpace(org))
	switch {
	case errors.Is(oerr, store.ErrNotFound):
		errs.Add("organisation", validate.NotFound)
	case oerr != nil:
		return oerr
	case !o.OnlyCORDIS():
		errs.Add("organisation", NotOutsider)
	}
	cid, cslug, cname, cerr := s.cluster(ctx, ls, inv.ClusterID, &errs)
	if cerr != nil {
		return cerr
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if !directory.MayChangeMembership(v, cid) {
		return store.ErrForbidden
	}
	inv.OrganisationID, inv.ClusterID = o.ID, cid
	if err := ls.LinkInvite(system(ctx), inv); err != nil {
		return err
	}
	if s.mail != nil {
		text := fmt.Sprintf("Dear colleagues at %s,\n\n%s, a cluster of the European safety and security cluster alliance, invites you to join it as a member.\n\n", o.Name, cname)
		if inv.Note != "" {
			text += inv.Note + "\n\n"
		}
		text += fmt.Sprintf("Your organisation's page, with the EU projects we know it from: %s/organisations/%s\nThe cluster: %s/clusters/%s\n\nTo accept, ask to join from your organisation's page or reply to this message.\n",
			s.baseURL, o.Slug, s.baseURL, cslug)
		if err := s.mail.Send(ctx, escmail.Message{To: inv.Email, Subject: "Invitation to join " + cname, Text: text}); err != nil {
			return err
		}
	}
	return s.audit.Audit(ctx, "organisation.invite", "organisation", o.ID,
		fmt.Sprintf("%s invited to join cluster %s (invitation %s)", o.Name, cname, inv.ID))
}

// withLinkCandidates puts the linker's candidates (an entered
// organisation and a CORDIS record, with the evidence) before the
// duplicate candidates cs, which keep their order; a pair in both keeps
// its reason and gains the evidence.
func (s *Service) withLinkCandidates(ctx context.Context, cs []MergeCandidate) ([]MergeCandidate, error) {
	ls, ok := s.store.(LinkStore)
	if !ok {
		return cs, nil
	}
	keys, err := ls.LinkKeys(ctx)
	if err != nil {
		return nil, err
	}
	skip, err := s.linkSkips(ctx, ls)
	if err != nil {
		return nil, err
	}
	_, cands := PlanLinks(keys, skip, nil)
	index := map[[2]string]int{}
	for i, c := range cs {
		index[pairKey(c.A.ID, c.B.ID)] = i
	}
	var out []MergeCandidate
	for _, l := range cands {
		k := pairKey(l.Entered.ID, l.Record.ID)
		if i, ok := index[k]; ok {
			cs[i].Evidence = l.Evidence.Reasons
			continue
		}
		index[k] = -1
		out = append(out, MergeCandidate{A: l.Entered, B: l.Record, Reason: ReasonEvidence, Evidence: l.Evidence.Reasons})
	}
	return append(out, cs...), nil
}

// LinkEntered links organisation org (id or slug), just entered, to the
// CORDIS records strong evidence ties it to, when the viewer may link it
// (the alliance administrator, a manager of one of its clusters); for
// anyone else it does nothing. Weaker evidence waits as candidates.
func (s *Service) LinkEntered(ctx context.Context, org string) (run LinkRun, err error) {
	defer wrap(&err, "projects.LinkEntered(%q)", org)
	ls, ok := s.store.(LinkStore)
	if !ok {
		return run, nil
	}
	v := access.ViewerFrom(ctx)
	if !v.WriteAllowed || v.Anonymous() {
		return run, nil
	}
	// Read whatever its sharing: one entered for its own organisation
	// only is still the entering manager's to link.
	e, err := ls.LinkVisible(system(ctx), org)
	if err != nil {
		return run, err
	}
	if !v.AllianceAdmin && !slices.ContainsFunc(e.Clusters, func(c string) bool { return slices.Contains(v.ManagedClusters, c) }) {
		return run, nil
	}
	return s.linkRun(system(ctx), []string{e.ID})
}

// NotTheseRecords records that organisation org (id or slug), entered
// although the records offered looked like it, is none of them: the pairs
// are marked distinct, never linked or proposed again. The alliance
// administrator or a manager of one of org's clusters; audited.
func (s *Service) NotTheseRecords(ctx context.Context, org string, records []PlannedLink) (err error) {
	defer wrap(&err, "projects.NotTheseRecords(%q)", org)
	ls, ok := s.store.(LinkStore)
	v := access.ViewerFrom(ctx)
	if !ok || len(records) == 0 || !v.WriteAllowed || v.Anonymous() {
		return nil
	}
	e, err := ls.LinkVisible(system(ctx), org)
	if err != nil {
		return err
	}
	if !v.AllianceAdmin && !slices.ContainsFunc(e.Clusters, func(c string) bool { return slices.Contains(v.ManagedClusters, c) }) {
		return store.ErrForbidden
	}
	for _, r := range records {
		if r.Record.ID == "" || r.Record.ID == e.ID {
			continue
		}
		if err := s.store.MarkDistinct(system(ctx), e.ID, r.Record.ID); err != nil {
			return err
		}
		if err := s.audit.Audit(ctx, "organisation.distinct", "organisation", e.ID,
			fmt.Sprintf("%s entered as another organisation than the EU record %s (PIC %s)", e.Name, r.Record.Name, r.Record.PIC)); err != nil {
			return err
		}
	}
	return nil
}
