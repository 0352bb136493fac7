package accounts

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
)

// PersonalData is everything escnet holds about an account holder (GDPR
// art. 15 and 20): the account without its password hash, the directory
// entry, the API tokens without secrets, the activity in the audit log,
// and what other capabilities hold about the person (Records: their
// bookings, their calendar feeds, ...).
type PersonalData struct {
	ExportedAt time.Time         `json:"exported_at"`
	Account    User              `json:"account"`
	Person     *directory.Person `json:"person,omitempty"`
	Tokens     []APIToken        `json:"api_tokens"`
	Activity   []audit.Entry     `json:"activity"`
	Records    map[string]any    `json:"records"`
}

// PersonalRecords returns what one capability holds about an account
// holder, for the download of their data.
type PersonalRecords func(ctx context.Context, userID string) (any, error)

type personalSources struct {
	mu    sync.Mutex
	names []string
	fns   []PersonalRecords
}

// AddPersonalRecords registers what a capability holds about a person
// (bookings, calendar feeds), so that the download includes it under
// Records[name]. Capabilities that live beside accounts register here,
// since accounts may not import them.
func (s *Service) AddPersonalRecords(name string, fn PersonalRecords) {
	s.sources.mu.Lock()
	defer s.sources.mu.Unlock()
	s.sources.names = append(s.sources.names, name)
	s.sources.fns = append(s.sources.fns, fn)
}

// ExportMyData returns everything escnet holds about the viewer, and
// audits the download.
func (s *Service) ExportMyData(ctx context.Context) (PersonalData, error) {
	u, _, err := s.signedIn(ctx)
	if err != nil {
		return PersonalData{}, err
	}
	d := PersonalData{ExportedAt: s.cfg.Now(), Account: u, Records: map[string]any{}}
	if u.PersonID != "" {
		p, err := s.store.GetPerson(systemCtx(ctx), u.PersonID)
		if err == nil {
			d.Person = &p
		} else if !errors.Is(err, store.ErrNotFound) {
			return d, err
		}
	}
	if d.Tokens, err = s.store.ListTokens(ctx, u.ID); err != nil {
		return d, err
	}
	if d.Activity, err = s.store.AuditLog(ctx, audit.Filter{UserID: u.ID, Limit: 500}); err != nil {
		return d, err
	}
	byEmail, err := s.store.AuditLog(ctx, audit.Filter{EntityID: u.Email, Limit: 500})
	if err != nil {
		return d, err
	}
	d.Activity = append(d.Activity, byEmail...)
	s.sources.mu.Lock()
	names, fns := s.sources.names, s.sources.fns
	s.sources.mu.Unlock()
	for i, fn := range fns {
		rec, err := fn(systemCtx(ctx), u.ID)
		if err != nil {
			return d, err
		}
		d.Records[names[i]] = rec
	}
	return d, s.audit.Audit(ctx, "export.personal_data", "user", u.ID, "")
}

// EraseMyAccount erases the viewer's account: e-mail address, name and
// password go, sessions, tokens, reset links, calendar feeds and approver
// roles end, and the directory entry is anonymised. Bookings stay with the
// organisations that made them, pointing at the anonymised account.
func (s *Service) EraseMyAccount(ctx context.Context) error {
	u, _, err := s.mayWrite(ctx)
	if err != nil {
		return err
	}
	if err := s.store.EraseUser(ctx, u.ID); err != nil {
		return err
	}
	return s.audit.Audit(ctx, "account.erased", "user", u.ID, "")
}
