package practices

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Config holds the library's settings.
type Config struct {
	Attachments AttachmentConfig
	// Viewer returns who is asking (until internal/access carries it).
	Viewer func(context.Context) access.Viewer
	Now    func() time.Time
}

// Service applies the library's rules around a Store.
type Service struct {
	store Store
	blobs Blobs
	cfg   Config
	index *index // the in-memory search index, when the store can feed one (index.go)
}

// NewService returns a Service. Without a configured directory, files go
// to a directory "attachments" beside the working directory.
func NewService(s Store, blobs Blobs, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Now().UTC() }
	}
	if cfg.Attachments.MaxSize <= 0 {
		cfg.Attachments.MaxSize = 20 << 20
	}
	if cfg.Viewer == nil {
		cfg.Viewer = func(context.Context) access.Viewer { return access.Viewer{} }
	}
	if blobs == nil {
		dir := cfg.Attachments.Dir
		if dir == "" {
			dir = "attachments"
		}
		blobs = DirBlobs{Dir: dir}
	}
	svc := &Service{store: s, blobs: blobs, cfg: cfg}
	if src, ok := s.(IndexSource); ok {
		svc.index = newIndex(src)
	}
	return svc
}

// MaxAttachment is the configured attachment limit in bytes.
func (s *Service) MaxAttachment() int64 { return s.cfg.Attachments.MaxSize }

func (s *Service) viewer(ctx context.Context) access.Viewer { return s.cfg.Viewer(ctx) }

// mayWrite reports whether v may change entries of organisation org:
// its members, and those who may change the organisation's records.
func mayWrite(v access.Viewer, org string, clusters []string) bool {
	if v.Anonymous() || !v.WriteAllowed {
		return false
	}
	return v.OrganisationID == org || access.CanEditOrganisationRecord(v, access.Record{OwnerOrg: org, OwnerClusters: clusters})
}

// CanEdit reports whether the viewer may change e (for pages).
func (s *Service) CanEdit(ctx context.Context, e Entry) bool {
	return mayWrite(s.viewer(ctx), e.OrganisationID, e.OrganisationClust)
}

// CanSummarise reports whether the viewer may publish e's summary: the
// owning organisation's administrators decide what leaves it.
func (s *Service) CanSummarise(ctx context.Context, e Entry) bool {
	v := s.viewer(ctx)
	return v.WriteAllowed && v.OrgAdmin && v.OrganisationID == e.OrganisationID && restricted(e.TLP)
}

// CanComment reports whether the viewer may comment on an entry they see.
func (s *Service) CanComment(ctx context.Context) bool {
	v := s.viewer(ctx)
	return !v.Anonymous() && v.WriteAllowed
}

// WarmIndex builds the search index now (when there is one), instead of
// at the first search.
func (s *Service) WarmIndex(ctx context.Context) error {
	if s.index == nil {
		return nil
	}
	return s.index.fresh(ctx)
}

// Search lists the entries the viewer may see that match f, with facets
// and matching summaries.
func (s *Service) Search(ctx context.Context, f Filter) (Results, error) {
	var errs validate.Errors
	if f.Limit == 0 {
		f.Limit = 20
	}
	if f.Limit < 1 || f.Limit > directory.MaxListLimit {
		errs.Add("limit", validate.InvalidChoice, "choices", "1..200")
	}
	errs.Text("q", f.Query, false, 200)
	errs.Choice("kind", f.Kind, false, Kinds...)
	errs.Choice("lang", f.Lang, false, Langs...)
	if f.Capability != "" && !directory.ValidCapabilityCode(f.Capability) {
		errs.Add("capability", validate.InvalidFormat)
	}
	errs.Text("organisation", f.Organisation, false, 80)
	errs.Text("cluster", f.Cluster, false, 80)
	if len(errs) > 0 {
		return Results{}, errs
	}
	if s.index != nil {
		return s.index.Search(ctx, f, QueryTerms(f.Query))
	}
	return s.store.SearchEntries(ctx, f, QueryTerms(f.Query))
}

// Get returns an entry the viewer may see, with its attachments and
// summary.
func (s *Service) Get(ctx context.Context, id string) (Entry, error) {
	return s.store.GetEntry(ctx, id)
}

// resolve checks the references of e against what the viewer may see.
func (s *Service) resolve(ctx context.Context, e *Entry, errs *validate.Errors) error {
	o, err := s.store.OrganisationRef(ctx, e.OrganisationID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		errs.Add("organisation_id", validate.NotFound)
	case err != nil:
		return err
	default:
		e.OrganisationID, e.OrganisationName = o.ID, o.Name
		e.OrganisationClust = nil
		for _, m := range o.Memberships {
			e.OrganisationClust = append(e.OrganisationClust, m.ClusterID)
		}
	}
	for i, c := range e.Capabilities {
		ok, err := s.store.CapabilityExists(ctx, c)
		if err != nil {
			return err
		}
		if !ok {
			errs.Add("capabilities["+itoa(i)+"]", validate.NotFound)
		}
	}
	for i, a := range e.Authors {
		p, err := s.store.PersonRef(ctx, a.ID)
		if errors.Is(err, store.ErrNotFound) {
			errs.Add("authors["+itoa(i)+"]", validate.NotFound)
			continue
		} else if err != nil {
			return err
		}
		e.Authors[i].Name = p.Name
	}
	return nil
}

func itoa(i int) string { return strconv.Itoa(i) }

func fromInput(in EntryInput, e *Entry) {
	e.Kind, e.Axis, e.OrganisationID = in.Kind, in.Axis, strings.TrimSpace(in.OrganisationID)
	if in.Visibility != nil {
		e.Visibility = *in.Visibility
	}
	if in.TLP != nil {
		e.TLP = strings.ToUpper(*in.TLP)
	}
	e.Capabilities = compact(in.Capabilities)
	e.Authors = nil
	for _, a := range compact(in.Authors) {
		e.Authors = append(e.Authors, Author{ID: a})
	}
	e.RelatedProjects, e.RelatedFacilities, e.RelatedEvents = compact(in.RelatedProjects), compact(in.RelatedFacilities), compact(in.RelatedEvents)
	e.Texts = slices.Clone(in.Texts)
}

func compact(in []string) []string {
	out := []string{}
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Create stores a new entry for an organisation the viewer may write for
// (their own when none is given).
func (s *Service) Create(ctx context.Context, in EntryInput) (Entry, error) {
	v := s.viewer(ctx)
	if v.Anonymous() || !v.WriteAllowed {
		return Entry{}, store.ErrForbidden
	}
	e := Entry{Visibility: access.Organisation, TLP: access.TLPAmber}
	if in.OrganisationID == "" {
		in.OrganisationID = v.OrganisationID
	}
	fromInput(in, &e)
	errs := validateEntry(&e)
	if err := s.resolve(ctx, &e, &errs); err != nil {
		return e, err
	}
	if len(errs) > 0 {
		return e, errs
	}
	if !mayWrite(v, e.OrganisationID, e.OrganisationClust) {
		errs.Add("organisation_id", NotYourOrg)
		return e, errs
	}
	e.CreatedBy = v.UserID
	by := Revision{UserID: v.UserID, Fields: []string{"created"}}
	if err := s.store.CreateEntry(ctx, &e, by, DocTerms(e.Texts, nil)); err != nil {
		return e, err
	}
	// The author gets their entry back even when its level hides it from
	// them (a manager writing an organisation-only entry for a member).
	return s.store.GetEntry(access.WithScope(ctx, access.System), e.ID)
}

// changedFields names what an update changes, for the history.
func changedFields(old, e Entry) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("kind", old.Kind != e.Kind)
	add("organisation_id", old.OrganisationID != e.OrganisationID)
	add("axis", old.Axis != e.Axis)
	add("visibility", old.Visibility != e.Visibility)
	add("tlp", old.TLP != e.TLP)
	add("capabilities", !slices.Equal(old.Capabilities, e.Capabilities))
	add("authors", !slices.Equal(old.Authors2(), e.Authors2()))
	add("related", !slices.Equal(old.RelatedProjects, e.RelatedProjects) || !slices.Equal(old.RelatedFacilities, e.RelatedFacilities) || !slices.Equal(old.RelatedEvents, e.RelatedEvents))
	for _, t := range e.Texts {
		i := slices.IndexFunc(old.Texts, func(o Text) bool { return o.Lang == t.Lang })
		if i < 0 || old.Texts[i].Title != t.Title || old.Texts[i].Summary != t.Summary || old.Texts[i].Body != t.Body || old.Texts[i].Original != t.Original {
			out = append(out, "texts."+t.Lang)
		}
	}
	for _, o := range old.Texts {
		if !slices.ContainsFunc(e.Texts, func(t Text) bool { return t.Lang == o.Lang }) {
			out = append(out, "texts."+o.Lang)
		}
	}
	return out
}

// Update replaces an entry's fields (its language versions with the ones
// given). expected is the version the client read (0: no check).
// Narrowing withdraws the entry's summary; widening is the owning
// organisation administrators' decision.
func (s *Service) Update(ctx context.Context, id string, expected int, in EntryInput) (Entry, error) {
	v := s.viewer(ctx)
	old, err := s.store.GetEntry(ctx, id)
	if err != nil {
		return old, err
	}
	if !mayWrite(v, old.OrganisationID, old.OrganisationClust) {
		return old, store.ErrForbidden
	}
	e := old
	if in.OrganisationID == "" {
		in.OrganisationID = old.OrganisationID
	}
	fromInput(in, &e)
	errs := validateEntry(&e)
	if err := s.resolve(ctx, &e, &errs); err != nil {
		return e, err
	}
	if len(errs) > 0 {
		return e, errs
	}
	if e.OrganisationID != old.OrganisationID && !mayWrite(v, e.OrganisationID, e.OrganisationClust) {
		errs.Add("organisation_id", NotYourOrg)
		return e, errs
	}
	from, to := access.EffectiveReach(old.Visibility, old.TLP), access.EffectiveReach(e.Visibility, e.TLP)
	if !access.CanWiden(v, old.Record(), from, to) {
		return e, store.ErrForbidden
	}
	narrowed := to < from || slices.Index(access.TLPs, e.TLP) > slices.Index(access.TLPs, old.TLP) || e.OrganisationID != old.OrganisationID
	atts, err := s.store.AttachmentTexts(ctx, id)
	if err != nil {
		return e, err
	}
	by := Revision{UserID: v.UserID, Fields: changedFields(old, e)}
	if err := s.store.UpdateEntry(ctx, &e, expected, by, DocTerms(e.Texts, atts), narrowed); err != nil {
		return e, err
	}
	return s.store.GetEntry(ctx, id)
}

// AddText adds a language version (a translation unless marked
// original); a language already present is refused naming "lang".
func (s *Service) AddText(ctx context.Context, id string, t Text) (Entry, error) {
	e, err := s.store.GetEntry(ctx, id)
	if err != nil {
		return e, err
	}
	if !mayWrite(s.viewer(ctx), e.OrganisationID, e.OrganisationClust) {
		return e, store.ErrForbidden
	}
	var errs validate.Errors
	validateText(&errs, "", &t)
	if slices.ContainsFunc(e.Texts, func(o Text) bool { return o.Lang == t.Lang }) {
		errs.Add("lang", LangPresent, "lang", t.Lang)
	}
	if t.Original {
		errs.Add("original", OneOriginal)
	}
	if len(errs) > 0 {
		return e, errs
	}
	atts, err := s.store.AttachmentTexts(ctx, id)
	if err != nil {
		return e, err
	}
	all := append(slices.Clone(e.Texts), t)
	if err := s.store.AddText(ctx, id, t, Revision{UserID: s.viewer(ctx).UserID, Fields: []string{"texts." + t.Lang}}, DocTerms(all, atts)); err != nil {
		return e, err
	}
	return s.store.GetEntry(ctx, id)
}

// Delete withdraws an entry (and so its summary's link).
func (s *Service) Delete(ctx context.Context, id string) error {
	e, err := s.store.GetEntry(ctx, id)
	if err != nil {
		return err
	}
	if !mayWrite(s.viewer(ctx), e.OrganisationID, e.OrganisationClust) {
		return store.ErrForbidden
	}
	if err := s.store.DeleteEntry(ctx, id); err != nil {
		return err
	}
	for _, a := range e.Attachments {
		_ = s.blobs.Remove(a.Path)
	}
	return nil
}

// History lists the versions of an entry the viewer may see.
func (s *Service) History(ctx context.Context, id string) ([]Revision, error) {
	if _, err := s.store.GetEntry(ctx, id); err != nil {
		return nil, err
	}
	return s.store.History(ctx, id)
}

// Comments lists the comments on an entry the viewer may see.
func (s *Service) Comments(ctx context.Context, id string) ([]Comment, error) {
	if _, err := s.store.GetEntry(ctx, id); err != nil {
		return nil, err
	}
	return s.store.ListComments(ctx, id)
}

// AddComment adds a comment by the viewer to an entry they may see.
func (s *Service) AddComment(ctx context.Context, id, body string) (Comment, error) {
	if _, err := s.store.GetEntry(ctx, id); err != nil {
		return Comment{}, err
	}
	if !s.CanComment(ctx) {
		return Comment{}, store.ErrForbidden
	}
	var errs validate.Errors
	errs.Text("body", body, true, 5000)
	if len(errs) > 0 {
		return Comment{}, errs
	}
	c := Comment{UserID: s.viewer(ctx).UserID, Body: strings.TrimSpace(body)}
	return c, s.store.AddComment(ctx, id, &c)
}
