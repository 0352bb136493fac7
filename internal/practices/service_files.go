package practices

import (
	"context"
	"io"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// AddAttachment streams r to disk as an attachment of entry id named
// name, checking its size and its content against its name; the file's
// text (plain-text files) joins the entry's search terms. On bad input
// nothing is kept.
func (s *Service) AddAttachment(ctx context.Context, id, name string, r io.Reader) (Attachment, error) {
	e, err := s.store.GetEntry(ctx, id)
	if err != nil {
		return Attachment{}, err
	}
	v := s.viewer(ctx)
	if !mayWrite(v, e.OrganisationID, e.OrganisationClust) {
		return Attachment{}, store.ErrForbidden
	}
	c, err := stream(s.blobs, s.cfg.Attachments, name, r)
	if err != nil {
		return Attachment{}, err
	}
	a := Attachment{EntryID: id, Name: name, MediaType: c.typ.media, Size: c.size, SHA256: c.sum, Path: c.stored, CreatedBy: v.UserID, Text: c.text}
	texts, err := s.store.AttachmentTexts(ctx, id)
	if err == nil {
		err = s.store.AddAttachment(ctx, &a, DocTerms(e.Texts, append(texts, c.text)))
	}
	if err != nil {
		_ = s.blobs.Remove(c.stored)
		return Attachment{}, err
	}
	return a, nil
}

// OpenAttachment returns an attachment of an entry the viewer may see
// and its content; the caller closes it.
func (s *Service) OpenAttachment(ctx context.Context, id, attID string) (Attachment, io.ReadSeekCloser, error) {
	a, err := s.store.GetAttachment(ctx, id, attID)
	if err != nil {
		return a, nil, err
	}
	f, err := s.blobs.Open(a.Path)
	return a, f, err
}

// PublishSummary publishes a reviewed GREEN or CLEAR abstract of an AMBER
// or RED entry, replacing an earlier one. Only the owning organisation's
// administrators decide what leaves it; a summary wider than the entry's
// label allows is refused naming "tlp".
func (s *Service) PublishSummary(ctx context.Context, id string, in SummaryInput) (Summary, error) {
	e, err := s.store.GetEntry(ctx, id)
	if err != nil {
		return Summary{}, err
	}
	if !mayWrite(s.viewer(ctx), e.OrganisationID, e.OrganisationClust) {
		return Summary{}, store.ErrForbidden
	}
	errs := validateSummary(e, &in)
	if in.ContactID != "" {
		if _, err := s.store.PersonRef(ctx, in.ContactID); err != nil {
			errs.Add("contact_id", validate.NotFound)
		}
	}
	if len(errs) > 0 {
		return Summary{}, errs
	}
	v := s.viewer(ctx)
	if !s.CanSummarise(ctx, e) {
		return Summary{}, store.ErrForbidden
	}
	sum := Summary{EntryID: id, OrganisationID: e.OrganisationID, Visibility: in.Visibility, TLP: in.TLP, Lang: in.Lang,
		Title: in.Title, Abstract: in.Abstract, ContactID: in.ContactID, ReviewedBy: v.UserID}
	terms := DocTerms([]Text{{Lang: in.Lang, Title: in.Title, Summary: in.Abstract}}, nil)
	if err := s.store.PublishSummary(ctx, &sum, terms); err != nil {
		return sum, err
	}
	return s.store.GetSummary(ctx, sum.ID)
}

// WithdrawSummary withdraws an entry's summary.
func (s *Service) WithdrawSummary(ctx context.Context, id string) error {
	e, err := s.store.GetEntry(ctx, id)
	if err != nil {
		return err
	}
	if !mayWrite(s.viewer(ctx), e.OrganisationID, e.OrganisationClust) {
		return store.ErrForbidden
	}
	return s.store.WithdrawSummary(ctx, id)
}

// GetSummary returns a published summary the viewer may see.
func (s *Service) GetSummary(ctx context.Context, id string) (Summary, error) {
	return s.store.GetSummary(ctx, id)
}

// Export returns the entries the viewer may see for a bulk use (an
// export, a feed): RED entries never appear, not even for the alliance
// administrator.
func (s *Service) Export(ctx context.Context, f Filter) ([]Entry, error) {
	ctx = access.WithScope(ctx, access.ScopeFrom(ctx).ForBulk())
	return s.store.ListForExport(ctx, f)
}

// MayAttach answers, before an upload is read, whether the viewer may
// attach files to entry id: store.ErrNotFound when they may not see it,
// store.ErrForbidden when they may not change it.
func (s *Service) MayAttach(ctx context.Context, id string) error {
	e, err := s.store.GetEntry(ctx, id)
	if err != nil {
		return err
	}
	if !mayWrite(s.viewer(ctx), e.OrganisationID, e.OrganisationClust) {
		return store.ErrForbidden
	}
	return nil
}
