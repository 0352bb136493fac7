package governance

import (
	"context"
	"fmt"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store"
)

// RemindResult counts what a reminder run did.
type RemindResult struct {
	Items int `json:"items"` // overdue items reminded
	Mails int `json:"mails"` // e-mails sent
}

// dateOf is the date an item is due by: a milestone's due date, an
// action's end.
func dateOf(it Item) string {
	if it.Kind == ItemMilestone {
		return it.Due
	}
	return it.Ends
}

// RemindOverdue e-mails the managers of the owning clusters of every open
// action or milestone whose date has passed (by the service's clock),
// once per item and date: a second run, or one running at the same time,
// sends nothing again, and an item whose date is moved is reminded of the
// new one. The claim and the e-mails of an item share one transaction, so
// a mail server that refuses leaves the item to the next run. Only the
// system (the CLI, a scheduled job) and alliance administrators run it.
func (s *Service) RemindOverdue(ctx context.Context) (RemindResult, error) {
	var res RemindResult
	v := access.ViewerFrom(ctx)
	if !mayDecide(v) { // the system viewer is one too
		return res, store.ErrForbidden
	}
	now := s.cfg.Now()
	items, err := s.roadmap.OverdueItems(ctx, now.Format(time.DateOnly))
	if err != nil {
		return res, err
	}
	for _, it := range items {
		sent := 0
		err := s.tx.InTransaction(ctx, func(ctx context.Context) error {
			sent = 0
			first, err := s.roadmap.MarkReminded(ctx, it.ID, dateOf(it), now)
			if err != nil || !first {
				return err
			}
			seen := map[string]bool{}
			for _, c := range it.Owners {
				emails, err := s.roadmap.ManagerEmails(ctx, c)
				if err != nil {
					return err
				}
				for _, e := range emails {
					if seen[e] {
						continue
					}
					seen[e] = true
					if err := s.remindMail(ctx, it, e); err != nil {
						return fmt.Errorf("overdue reminder to %s: %w", e, err)
					}
					sent++
				}
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		if sent > 0 {
			res.Items++
			res.Mails += sent
		}
	}
	return res, nil
}

// remindMail sends one reminder. It bypasses a mail.Deferred so that a
// refused message rolls the claim back.
func (s *Service) remindMail(ctx context.Context, it Item, to string) error {
	m := s.mail
	if d, ok := m.(mail.Deferred); ok {
		m = d.Sender
	}
	t := s.cfg.Text
	return m.Send(ctx, mail.Message{To: to, Subject: t(ctx, "mail.roadmap.overdue.subject", "title", it.Title),
		Text: t(ctx, "mail.roadmap.overdue.body", "title", it.Title, "date", dateOf(it), "link", s.cfg.BaseURL+"/roadmap/"+it.ID+"/edit")})
}
