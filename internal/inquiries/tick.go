package inquiries

import (
	"context"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// TickResult says what one run of Tick did.
type TickResult struct {
	Reminded, Escalated, Anonymised int
}

// Tick is the contact point's periodic work, run by serve: reminders to
// the desk and the experts at half the target for a first answer,
// escalation to the cluster's managers past it, anonymising closed cases
// past the retention period and pruning the throttling log.
func (s *Service) Tick(ctx context.Context) (TickResult, error) {
	ctx = audit.WithActor(access.WithScope(ctx, access.System), audit.Actor{Label: "system"})
	var res TickResult
	now := s.cfg.Now()
	open, err := s.store.ListInquiries(ctx, Filter{All: true})
	if err != nil {
		return res, err
	}
	for _, q := range open {
		remind, escalate := s.cfg.Deadlines.Late(q, now)
		if !remind && !escalate {
			continue
		}
		_, err := s.store.ChangeInquiry(ctx, q.ID, 0, func(cur *Inquiry) (Step, error) {
			if escalate {
				cur.EscalatedAt = &now
				if cur.RemindedAt == nil {
					cur.RemindedAt = &now
				}
				return Step{Action: "escalate"}, nil
			}
			cur.RemindedAt = &now
			return Step{Action: "remind"}, nil
		})
		if err != nil {
			return res, err
		}
		if escalate {
			res.Escalated++
			emails, _ := s.store.ManagerEmails(ctx, q.ClusterID)
			for _, e := range emails {
				s.send(ctx, e, "en", "mail.inquiry.escalate", "number", q.Number, "link", s.caseURL(q.ID))
			}
		} else {
			res.Reminded++
			s.notifyStaff(ctx, q, "mail.inquiry.remind")
		}
	}
	if res.Anonymised, err = s.store.AnonymiseClosed(ctx, now.Add(-s.cfg.Retention)); err != nil {
		return res, err
	}
	return res, s.store.PruneSubmissions(ctx, now.Add(-24*time.Hour))
}

// SetExpert lists or unlists a person as an expert for questions: the
// person themself, or the alliance administrator.
func (s *Service) SetExpert(ctx context.Context, personID string, on bool, summary string) error {
	v := access.ViewerFrom(ctx)
	if !(v.WriteAllowed && (v.AllianceAdmin || (v.PersonID != "" && v.PersonID == personID))) && !access.ScopeFrom(ctx).All {
		return store.ErrForbidden
	}
	var errs validate.Errors
	errs.Text("summary", summary, false, MaxReason)
	if err := errs.Err(); err != nil {
		return err
	}
	if err := s.store.SetExpert(ctx, personID, on, summary); err != nil {
		return err
	}
	s.Invalidate()
	return nil
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// Empty reports whether no case exists yet (the demonstration loads its
// questions only then).
func (s *Service) Empty(ctx context.Context) (bool, error) {
	items, err := s.store.ListInquiries(ctx, Filter{All: true, Limit: 1})
	return len(items) == 0, err
}
