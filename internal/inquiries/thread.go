package inquiries

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Merge closes a case as a duplicate of another the viewer also triages
// (named by id or number).
func (s *Service) Merge(ctx context.Context, id, into string) (Inquiry, error) {
	if n, err := strconv.Atoi(strings.TrimSpace(into)); err == nil {
		if into, err = s.store.InquiryIDByNumber(ctx, n); errors.Is(err, store.ErrNotFound) {
			into = "-"
		} else if err != nil {
			return Inquiry{}, err
		}
	}
	if id == into {
		return Inquiry{}, validate.Errors{{Field: "into", Code: ErrMergeSelf}}
	}
	target, v, d, err := s.visible(ctx, into)
	if err != nil {
		if _, _, _, verr := s.visible(ctx, id); verr != nil {
			return Inquiry{}, verr
		}
		return Inquiry{}, validate.Errors{{Field: "into", Code: validate.NotFound}}
	}
	if !target.Open() {
		return Inquiry{}, &store.ConflictError{Field: "into", Code: ErrClosed}
	}
	if !triager(v, d, target) {
		return Inquiry{}, store.ErrForbidden
	}
	return s.change(ctx, id, 0, triager, func(q *Inquiry) (Step, error) {
		if err := openCase(q); err != nil {
			return Step{}, err
		}
		s.closeCase(q, CloseMerged)
		q.MergedInto = into
		return Step{Action: "merge", Detail: into}, nil
	})
}

func (s *Service) closeCase(q *Inquiry, reason string) {
	now := s.cfg.Now()
	q.State, q.CloseReason, q.ClosedAt = StateClosed, reason, &now
}

// Spam closes a case as not a real question and drops what it says about
// its sender at once.
func (s *Service) Spam(ctx context.Context, id string) (Inquiry, error) {
	return s.change(ctx, id, 0, triager, func(q *Inquiry) (Step, error) {
		if err := openCase(q); err != nil {
			return Step{}, err
		}
		s.closeCase(q, CloseSpam)
		anonymise(q)
		return Step{Action: "spam"}, nil
	})
}

// anonymise removes the requester's data from a case.
func anonymise(q *Inquiry) {
	q.RequesterName, q.RequesterEmail, q.RequesterOrg = "", "", ""
	q.Anonymised = true
}

// Close finishes a case for its desk.
func (s *Service) Close(ctx context.Context, id string) (Inquiry, error) {
	return s.change(ctx, id, 0, triager, func(q *Inquiry) (Step, error) {
		if err := openCase(q); err != nil {
			return Step{}, err
		}
		s.closeCase(q, CloseDone)
		return Step{Action: "close"}, nil
	})
}

// Reopen takes a closed case up again (not a merged one, nor one whose
// requester data is gone).
func (s *Service) Reopen(ctx context.Context, id string) (Inquiry, error) {
	return s.change(ctx, id, 0, triager, reopen)
}

func reopen(q *Inquiry) (Step, error) {
	if q.Open() || q.CloseReason == CloseMerged || q.Anonymised {
		return Step{}, &store.ConflictError{Field: "state", Code: ErrState}
	}
	q.State, q.CloseReason, q.ClosedAt = StateTriaged, "", nil
	return Step{Action: "reopen"}, nil
}

// MessageInput is a message to a case's thread.
type MessageInput struct {
	Body     string      `json:"body"`
	Internal bool        `json:"internal"`
	Files    []FileInput `json:"-"`
}

func (in MessageInput) validate() error {
	var errs validate.Errors
	errs.Text("body", in.Body, true, MaxBody)
	return errs.Err()
}

// Post adds a message by the desk or an expert. A message to the
// requester is an answer: the first one sets the time to first answer.
func (s *Service) Post(ctx context.Context, id string, in MessageInput) (Message, error) {
	q, v, d, err := s.visible(ctx, id)
	if err != nil {
		return Message{}, err
	}
	c := caseOf(q)
	if !v.WriteAllowed || (!in.Internal && !access.CanAnswerCase(v, d, c)) {
		return Message{}, store.ErrForbidden
	}
	if !q.Open() {
		return Message{}, &store.ConflictError{Field: "body", Code: ErrClosed}
	}
	if err := in.validate(); err != nil {
		return Message{}, err
	}
	m := Message{ID: newID(), InquiryID: id, AuthorKind: AuthorDesk, AuthorID: v.UserID, Body: in.Body, Internal: in.Internal}
	if a := q.assignment(v.PersonID); a != nil && a.Active() {
		m.AuthorKind, m.AuthorName = AuthorExpert, a.PersonName
		if a.OrganisationName != "" {
			m.AuthorName += " (" + a.OrganisationName + ")"
		}
	}
	atts, err := s.saveFiles(q.ID, m.ID, in.Files)
	if err != nil {
		return Message{}, err
	}
	q, err = s.store.ChangeInquiry(ctx, id, 0, func(cur *Inquiry) (Step, error) {
		if !cur.Open() {
			return Step{}, &store.ConflictError{Field: "body", Code: ErrClosed}
		}
		if m.AuthorKind == AuthorDesk {
			m.AuthorName = "desk:" + cur.ClusterID
		}
		action := "note"
		if !in.Internal {
			action = "answer"
			if cur.FirstAnswerAt == nil {
				now := s.cfg.Now()
				cur.FirstAnswerAt = &now
			}
			if a := cur.assignment(v.PersonID); a != nil && a.State == AssignPending {
				a.State = AssignAccepted // answering accepts
			}
		}
		cur.settle()
		return Step{Action: action, Message: &m, Attachments: atts}, nil
	})
	if err != nil {
		s.removeFiles(atts)
		return Message{}, err
	}
	m.Attachments = atts
	if !in.Internal && !q.Anonymised {
		s.send(ctx, q.RequesterEmail, q.Lang, "mail.inquiry.answer", "number", q.Number, "link", s.FollowURL(q.ID))
	}
	return m, nil
}

// ---- the requester, by their private link

func (s *Service) byToken(ctx context.Context, token string) (Inquiry, error) {
	if token == "" {
		return Inquiry{}, store.ErrNotFound
	}
	return s.store.InquiryByToken(ctx, HashToken(token))
}

// Follow is the requester's view of their case: the thread without
// internal notes.
func (s *Service) Follow(ctx context.Context, token string) (View, error) {
	q, err := s.byToken(ctx, token)
	if err != nil {
		return View{}, err
	}
	msgs, err := s.store.Messages(ctx, q.ID, false)
	if err != nil {
		return View{}, err
	}
	q.Assignments = nil // the requester sees answers, not the desk's work
	return View{Inquiry: q, Messages: msgs, Can: Permissions{Answer: q.Open()}}, nil
}

// Reply adds the requester's message to their case.
func (s *Service) Reply(ctx context.Context, token string, in MessageInput) (Message, error) {
	q, err := s.byToken(ctx, token)
	if err != nil {
		return Message{}, err
	}
	if !q.Open() {
		return Message{}, &store.ConflictError{Field: "body", Code: ErrClosed}
	}
	in.Internal = false
	if err := in.validate(); err != nil {
		return Message{}, err
	}
	m := Message{ID: newID(), InquiryID: q.ID, AuthorKind: AuthorRequester, AuthorName: q.RequesterName, Body: in.Body}
	atts, err := s.saveFiles(q.ID, m.ID, in.Files)
	if err != nil {
		return Message{}, err
	}
	q, err = s.store.ChangeInquiry(ctx, q.ID, 0, func(cur *Inquiry) (Step, error) {
		if !cur.Open() {
			return Step{}, &store.ConflictError{Field: "body", Code: ErrClosed}
		}
		return Step{Action: "reply", Message: &m, Attachments: atts}, nil
	})
	if err != nil {
		s.removeFiles(atts)
		return Message{}, err
	}
	m.Attachments = atts
	s.notifyStaff(ctx, q, "mail.inquiry.reply")
	return m, nil
}

// notifyStaff writes to the experts on a case, or its desk when none.
func (s *Service) notifyStaff(ctx context.Context, q Inquiry, key string) {
	var to []string
	for _, p := range q.ActiveExperts() {
		if e, err := s.store.PersonEmail(ctx, p); err == nil {
			to = append(to, e)
		}
	}
	if len(to) == 0 {
		to, _ = s.store.DeskEmails(ctx, q.ClusterID)
	}
	for _, e := range to {
		s.send(ctx, e, "en", key, "number", q.Number, "link", s.caseURL(q.ID))
	}
}

// Rate records the requester's rating (1 to 5) of the answer.
func (s *Service) Rate(ctx context.Context, token string, rating int, comment string) (Inquiry, error) {
	q, err := s.byToken(ctx, token)
	if err != nil {
		return Inquiry{}, err
	}
	var errs validate.Errors
	if rating < 1 || rating > 5 {
		errs.Add("rating", validate.InvalidChoice, "choices", "1, 2, 3, 4, 5")
	}
	errs.Text("comment", comment, false, MaxReason)
	if q.FirstAnswerAt == nil {
		errs.Add("rating", ErrRatingTooSoon)
	}
	if err := errs.Err(); err != nil {
		return Inquiry{}, err
	}
	return s.store.ChangeInquiry(ctx, q.ID, 0, func(cur *Inquiry) (Step, error) {
		cur.Rating, cur.RatingComment = rating, comment
		return Step{Action: "rate", Detail: fmt.Sprint(rating)}, nil
	})
}

// Finish closes the case for its requester; Resume reopens it.
func (s *Service) Finish(ctx context.Context, token string) (Inquiry, error) {
	q, err := s.byToken(ctx, token)
	if err != nil {
		return Inquiry{}, err
	}
	return s.store.ChangeInquiry(ctx, q.ID, 0, func(cur *Inquiry) (Step, error) {
		if err := openCase(cur); err != nil {
			return Step{}, err
		}
		s.closeCase(cur, CloseDone)
		return Step{Action: "close"}, nil
	})
}

// Resume reopens a closed case for its requester.
func (s *Service) Resume(ctx context.Context, token string) (Inquiry, error) {
	q, err := s.byToken(ctx, token)
	if err != nil {
		return Inquiry{}, err
	}
	return s.store.ChangeInquiry(ctx, q.ID, 0, func(cur *Inquiry) (Step, error) {
		st, err := reopen(cur)
		cur.settle()
		return st, err
	})
}

// Export is everything a case holds about its requester, for them.
func (s *Service) Export(ctx context.Context, token string) (View, error) {
	return s.Follow(ctx, token)
}

// Erase removes the requester's data from their case at their request.
func (s *Service) Erase(ctx context.Context, token string) error {
	q, err := s.byToken(ctx, token)
	if err != nil {
		return err
	}
	_, err = s.store.ChangeInquiry(ctx, q.ID, 0, func(cur *Inquiry) (Step, error) {
		anonymise(cur)
		return Step{Action: "erase"}, nil
	})
	return err
}

// EraseRequester removes an address's data from every case (alliance
// administrator; the command line).
func (s *Service) EraseRequester(ctx context.Context, email string) (int, error) {
	if v := access.ViewerFrom(ctx); !v.AllianceAdmin && !access.ScopeFrom(ctx).All {
		return 0, store.ErrForbidden
	}
	return s.store.EraseRequester(ctx, email)
}

// Attachment opens a file of a case the viewer may see.
func (s *Service) Attachment(ctx context.Context, id string) (Attachment, *os.File, error) {
	a, err := s.store.GetInquiryAttachment(ctx, id)
	if err != nil {
		return a, nil, err
	}
	if _, _, _, err := s.visible(ctx, a.InquiryID); err != nil {
		return Attachment{}, nil, err
	}
	return s.openFile(a)
}

// RequesterAttachment opens a file of the requester's case that is not
// part of an internal note.
func (s *Service) RequesterAttachment(ctx context.Context, token, id string) (Attachment, *os.File, error) {
	q, err := s.byToken(ctx, token)
	if err != nil {
		return Attachment{}, nil, err
	}
	a, err := s.store.GetInquiryAttachment(ctx, id)
	if err != nil || a.InquiryID != q.ID || a.Internal {
		return Attachment{}, nil, store.ErrNotFound
	}
	return s.openFile(a)
}
