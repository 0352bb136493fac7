package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/store"
)

// The contact point's store (inquiries.Store). Reads are not filtered by
// the viewer: the inquiries service decides who sees a case.

const inquiryCols = `q.id, q.number, q.cluster_id, COALESCE(c.name, ''), COALESCE(q.handoff_to, ''), q.state, q.question, q.lang,
	q.requester_name, q.requester_email, q.requester_org, q.requester_kind, q.country, q.urgency, q.consent, q.tlp,
	q.capabilities, q.domain, COALESCE(q.merged_into, ''), q.handoffs, q.rating, q.rating_comment, q.close_reason,
	q.first_answer_at, q.reminded_at, q.escalated_at, q.closed_at, q.anonymised, q.version, q.created_at, q.updated_at`

const inquiryFrom = ` FROM inquiries q LEFT JOIN clusters c ON c.id = q.cluster_id`

func inqTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

func scanInquiry(row interface{ Scan(...any) error }) (inquiries.Inquiry, error) {
	var q inquiries.Inquiry
	var caps string
	var first, reminded, escalated, closed sql.NullTime
	err := row.Scan(&q.ID, &q.Number, &q.ClusterID, &q.ClusterName, &q.HandoffTo, &q.State, &q.Question, &q.Lang,
		&q.RequesterName, &q.RequesterEmail, &q.RequesterOrg, &q.RequesterKind, &q.Country, &q.Urgency, &q.Consent, &q.TLP,
		&caps, &q.Domain, &q.MergedInto, &q.Handoffs, &q.Rating, &q.RatingComment, &q.CloseReason,
		&first, &reminded, &escalated, &closed, &q.Anonymised, &q.Version, &q.CreatedAt, &q.UpdatedAt)
	q.Capabilities = splitList(caps)
	q.FirstAnswerAt, q.RemindedAt, q.EscalatedAt, q.ClosedAt = inqTime(first), inqTime(reminded), inqTime(escalated), inqTime(closed)
	q.CreatedAt, q.UpdatedAt = q.CreatedAt.UTC(), q.UpdatedAt.UTC()
	q.Assignments = []inquiries.Assignment{}
	return q, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateInquiry numbers and writes a new case and logs its submission.
func (db *DB) CreateInquiry(ctx context.Context, q *inquiries.Inquiry, tokenHash string, sub inquiries.Submission) error {
	q.CreatedAt = q.CreatedAt.UTC().Truncate(time.Microsecond)
	q.UpdatedAt, q.Version = q.CreatedAt, 1
	var err error
	for range 5 { // two nodes may pick the same number; the second tries again
		err = db.Transact(ctx, func(tx *Tx) error {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM inquiries`).Scan(&q.Number); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO inquiries (id, number, cluster_id, state, question, lang, requester_name,
				requester_email, requester_org, requester_kind, country, urgency, consent, tlp, capabilities, domain, token_hash,
				version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 1, $18, $18)`,
				q.ID, q.Number, q.ClusterID, q.State, q.Question, q.Lang, q.RequesterName, q.RequesterEmail, q.RequesterOrg,
				q.RequesterKind, q.Country, q.Urgency, q.Consent, q.TLP, joinList(q.Capabilities), q.Domain, tokenHash, q.CreatedAt)
			if err != nil {
				return err
			}
			if err := insertSubmission(ctx, tx, sub); err != nil {
				return err
			}
			return tx.changeDetail(ctx, "inquiry", q.ID, "create", q.ClusterID)
		})
		if _, col, ok := db.dialect.Unique(err); !ok || col != "number" {
			break
		}
	}
	if err != nil {
		return db.mapError(err)
	}
	return nil
}

// changeDetail is Tx.Change with a detail in the audit entry.
func (tx *Tx) changeDetail(ctx context.Context, entity, id, op, detail string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO changes (entity, entity_id, op, at) VALUES ($1, $2, $3, $4)`, entity, id, op, now()); err != nil {
		return err
	}
	tx.changed = true
	return tx.Audit(ctx, entity+"."+op, entity, id, detail)
}

func insertSubmission(ctx context.Context, tx *Tx, sub inquiries.Submission) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO inquiry_submissions (id, ip_hash, email_hash, outcome, at) VALUES ($1, $2, $3, $4, $5)`,
		newID(), sub.IPHash, sub.EmailHash, sub.Outcome, sub.At.UTC())
	return err
}

// LogSubmission records a refused submission (spam, throttled).
func (db *DB) LogSubmission(ctx context.Context, sub inquiries.Submission) error {
	return db.Transact(ctx, func(tx *Tx) error { return insertSubmission(ctx, tx, sub) })
}

// CountSubmissions counts submissions since a time by address and by
// e-mail.
func (db *DB) CountSubmissions(ctx context.Context, ipHash, emailHash string, since time.Time) (int, int, error) {
	var byIP, byEmail int
	err := db.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM inquiry_submissions WHERE ip_hash = $1 AND at >= $3),
		(SELECT COUNT(*) FROM inquiry_submissions WHERE email_hash = $2 AND at >= $3)`, ipHash, emailHash, since.UTC()).Scan(&byIP, &byEmail)
	return byIP, byEmail, err
}

// PruneSubmissions drops the throttling log before a time.
func (db *DB) PruneSubmissions(ctx context.Context, before time.Time) error {
	return db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM inquiry_submissions WHERE at < $1`, before.UTC())
		return err
	})
}

type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

type readPool struct{ db *DB }

func (r readPool) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.db.query(ctx, q, args...)
}

func (r readPool) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return r.db.queryRow(ctx, q, args...)
}

func getInquiry(ctx context.Context, qr queryer, cond string, arg any) (inquiries.Inquiry, error) {
	q, err := scanInquiry(qr.QueryRowContext(ctx, `SELECT `+inquiryCols+inquiryFrom+` WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return q, fmt.Errorf("inquiry: %w", store.ErrNotFound)
	}
	if err != nil {
		return q, err
	}
	as, err := assignments(ctx, qr, []string{q.ID})
	q.Assignments = orEmptyAssignments(as[q.ID])
	return q, err
}

func orEmptyAssignments(a []inquiries.Assignment) []inquiries.Assignment {
	if a == nil {
		return []inquiries.Assignment{}
	}
	return a
}

func assignments(ctx context.Context, qr queryer, ids []string) (map[string][]inquiries.Assignment, error) {
	out := map[string][]inquiries.Assignment{}
	if len(ids) == 0 {
		return out, nil
	}
	var w where
	rows, err := qr.QueryContext(ctx, `SELECT a.inquiry_id, a.person_id, p.name, o.name, a.state, a.reason, a.created_at, a.decided_at
		FROM inquiry_assignments a JOIN people p ON p.id = a.person_id JOIN organisations o ON o.id = p.organisation_id
		WHERE a.inquiry_id IN (`+w.inList(ids)+`) ORDER BY a.created_at, a.person_id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var a inquiries.Assignment
		var decided sql.NullTime
		if err := rows.Scan(&id, &a.PersonID, &a.PersonName, &a.OrganisationName, &a.State, &a.Reason, &a.CreatedAt, &decided); err != nil {
			return nil, err
		}
		a.CreatedAt, a.DecidedAt = a.CreatedAt.UTC(), inqTime(decided)
		out[id] = append(out[id], a)
	}
	return out, rows.Err()
}

// GetInquiry reads a case with its assignments.
func (db *DB) GetInquiry(ctx context.Context, id string) (inquiries.Inquiry, error) {
	return getInquiry(ctx, readPool{db}, "q.id = $1", id)
}

// InquiryByToken reads the case a follow link's hash opens.
func (db *DB) InquiryByToken(ctx context.Context, hash string) (inquiries.Inquiry, error) {
	return getInquiry(ctx, readPool{db}, "q.token_hash = $1", hash)
}

// InquiryIDByNumber finds a case by its number.
func (db *DB) InquiryIDByNumber(ctx context.Context, number int) (string, error) {
	var id string
	err := db.queryRow(ctx, `SELECT id FROM inquiries WHERE number = $1`, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("inquiry %d: %w", number, store.ErrNotFound)
	}
	return id, err
}

// ListInquiries lists cases, newest first.
func (db *DB) ListInquiries(ctx context.Context, f inquiries.Filter) ([]inquiries.Inquiry, error) {
	var w where
	if !f.All {
		var or []string
		if len(f.Clusters) > 0 {
			in := w.inList(f.Clusters)
			or = append(or, "q.cluster_id IN ("+in+")", "q.handoff_to IN ("+in+")")
		}
		if f.PersonID != "" {
			or = append(or, `EXISTS (SELECT 1 FROM inquiry_assignments a WHERE a.inquiry_id = q.id AND a.person_id = `+w.arg(f.PersonID)+` AND a.state <> 'declined')`)
		}
		if f.Email != "" {
			or = append(or, "q.requester_email = "+w.arg(f.Email))
		}
		if len(or) == 0 {
			return []inquiries.Inquiry{}, nil
		}
		w.add("(" + strings.Join(or, " OR ") + ")")
	}
	if f.State != "" {
		w.add("q.state = " + w.arg(f.State))
	}
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + w.arg(f.Limit)
	}
	rows, err := db.query(ctx, `SELECT `+inquiryCols+inquiryFrom+w.sql()+` ORDER BY q.created_at DESC, q.id`+limit, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []inquiries.Inquiry{}
	var ids []string
	for rows.Next() {
		q, err := scanInquiry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
		ids = append(ids, q.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	as, err := assignments(ctx, readPool{db}, ids)
	for i := range out {
		out[i].Assignments = orEmptyAssignments(as[out[i].ID])
	}
	return out, err
}

// ChangeInquiry applies one step to a case in a transaction.
func (db *DB) ChangeInquiry(ctx context.Context, id string, version int, change func(*inquiries.Inquiry) (inquiries.Step, error)) (inquiries.Inquiry, error) {
	var q inquiries.Inquiry
	err := db.Transact(ctx, func(tx *Tx) error {
		// Take the row's write lock before reading it.
		res, err := tx.ExecContext(ctx, `UPDATE inquiries SET version = version WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("inquiry %q: %w", id, store.ErrNotFound)
		}
		cur, err := getInquiry(ctx, tx, "q.id = $1", id)
		if err != nil {
			return err
		}
		if version != 0 && version != cur.Version {
			return store.ErrStale
		}
		q = cur
		q.Assignments = append([]inquiries.Assignment(nil), cur.Assignments...)
		st, err := change(&q)
		if err != nil {
			return err
		}
		q.Version, q.UpdatedAt = cur.Version+1, now()
		if err := writeInquiry(ctx, tx, &q, cur.Anonymised); err != nil {
			return err
		}
		if err := writeMessage(ctx, tx, st); err != nil {
			return err
		}
		return tx.changeDetail(ctx, "inquiry", id, st.Action, st.Detail)
	})
	if err != nil {
		return q, db.mapError(err)
	}
	return q, nil
}

func writeInquiry(ctx context.Context, tx *Tx, q *inquiries.Inquiry, wasAnonymised bool) error {
	_, err := tx.ExecContext(ctx, `UPDATE inquiries SET cluster_id = $2, handoff_to = $3, state = $4, requester_name = $5,
		requester_email = $6, requester_org = $7, capabilities = $8, domain = $9, merged_into = $10, handoffs = $11, rating = $12,
		rating_comment = $13, close_reason = $14, first_answer_at = $15, reminded_at = $16, escalated_at = $17, closed_at = $18,
		anonymised = $19, version = $20, updated_at = $21 WHERE id = $1`,
		q.ID, q.ClusterID, nullString(q.HandoffTo), q.State, q.RequesterName, q.RequesterEmail, q.RequesterOrg,
		joinList(q.Capabilities), q.Domain, nullString(q.MergedInto), q.Handoffs, q.Rating, q.RatingComment, q.CloseReason,
		q.FirstAnswerAt, q.RemindedAt, q.EscalatedAt, q.ClosedAt, q.Anonymised, q.Version, q.UpdatedAt)
	if err != nil {
		return err
	}
	if q.Anonymised && !wasAnonymised {
		if _, err := tx.ExecContext(ctx, `UPDATE inquiry_messages SET author_name = '' WHERE inquiry_id = $1 AND author_kind = 'requester'`, q.ID); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM inquiry_assignments WHERE inquiry_id = $1`, q.ID); err != nil {
		return err
	}
	for _, a := range q.Assignments {
		if _, err := tx.ExecContext(ctx, `INSERT INTO inquiry_assignments (inquiry_id, person_id, state, reason, created_at, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, q.ID, a.PersonID, a.State, a.Reason, a.CreatedAt.UTC(), a.DecidedAt); err != nil {
			return err
		}
	}
	return nil
}

func writeMessage(ctx context.Context, tx *Tx, st inquiries.Step) error {
	m := st.Message
	if m == nil {
		return nil
	}
	m.CreatedAt = now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO inquiry_messages (id, inquiry_id, author_kind, author_id, author_name, body, internal, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, m.ID, m.InquiryID, m.AuthorKind, m.AuthorID, m.AuthorName, m.Body, m.Internal, m.CreatedAt); err != nil {
		return err
	}
	for _, a := range st.Attachments {
		if _, err := tx.ExecContext(ctx, `INSERT INTO inquiry_attachments (id, inquiry_id, message_id, name, content_type, size, stored_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.ID, a.InquiryID, m.ID, a.Name, a.ContentType, a.Size, a.StoredName, m.CreatedAt); err != nil {
			return err
		}
	}
	return nil
}

// Messages lists a case's thread, oldest first, with internal notes when
// asked.
func (db *DB) Messages(ctx context.Context, inquiryID string, internal bool) ([]inquiries.Message, error) {
	cond := ""
	if !internal {
		cond = " AND NOT m.internal"
	}
	rows, err := db.query(ctx, `SELECT m.id, m.author_kind, m.author_id, m.author_name, m.body, m.internal, m.created_at
		FROM inquiry_messages m WHERE m.inquiry_id = $1`+cond+` ORDER BY m.created_at, m.id`, inquiryID)
	if err != nil {
		return nil, err
	}
	out := []inquiries.Message{}
	at := map[string]int{}
	for rows.Next() {
		m := inquiries.Message{InquiryID: inquiryID, Attachments: []inquiries.Attachment{}}
		if err := rows.Scan(&m.ID, &m.AuthorKind, &m.AuthorID, &m.AuthorName, &m.Body, &m.Internal, &m.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		m.CreatedAt = m.CreatedAt.UTC()
		at[m.ID] = len(out)
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	err = db.each(ctx, func(rows *sql.Rows) error {
		a, err := scanInquiryAttachment(rows)
		if i, ok := at[a.MessageID]; ok && err == nil {
			out[i].Attachments = append(out[i].Attachments, a)
		}
		return err
	}, `SELECT `+inquiryAttachmentCols+` FROM inquiry_attachments a JOIN inquiry_messages m ON m.id = a.message_id WHERE a.inquiry_id = $1 ORDER BY a.created_at, a.id`, inquiryID)
	return out, err
}

const inquiryAttachmentCols = `a.id, a.inquiry_id, a.message_id, a.name, a.content_type, a.size, a.stored_name, m.internal, a.created_at`

func scanInquiryAttachment(row interface{ Scan(...any) error }) (inquiries.Attachment, error) {
	var a inquiries.Attachment
	err := row.Scan(&a.ID, &a.InquiryID, &a.MessageID, &a.Name, &a.ContentType, &a.Size, &a.StoredName, &a.Internal, &a.CreatedAt)
	a.CreatedAt = a.CreatedAt.UTC()
	return a, err
}

// GetInquiryAttachment reads an attachment's record.
func (db *DB) GetInquiryAttachment(ctx context.Context, id string) (inquiries.Attachment, error) {
	a, err := scanInquiryAttachment(db.queryRow(ctx, `SELECT `+inquiryAttachmentCols+` FROM inquiry_attachments a JOIN inquiry_messages m ON m.id = a.message_id WHERE a.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("attachment %q: %w", id, store.ErrNotFound)
	}
	return a, err
}

// anonymise strips requester data from the cases a condition selects.
func (db *DB) anonymise(ctx context.Context, cond string, arg any, action string) (int, error) {
	var n int
	err := db.Transact(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM inquiries WHERE NOT anonymised AND `+cond, arg)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE inquiries SET requester_name = '', requester_email = '', requester_org = '',
				anonymised = TRUE, version = version + 1, updated_at = $2 WHERE id = $1`, id, now()); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE inquiry_messages SET author_name = '' WHERE inquiry_id = $1 AND author_kind = 'requester'`, id); err != nil {
				return err
			}
			if err := tx.changeDetail(ctx, "inquiry", id, action, ""); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// AnonymiseClosed strips requester data from cases closed before a time.
func (db *DB) AnonymiseClosed(ctx context.Context, before time.Time) (int, error) {
	return db.anonymise(ctx, "state = 'closed' AND closed_at < $1", before.UTC(), "anonymise")
}

// EraseRequester strips an address's data from all its cases.
func (db *DB) EraseRequester(ctx context.Context, email string) (int, error) {
	return db.anonymise(ctx, "requester_email = $1", strings.ToLower(strings.TrimSpace(email)), "erase")
}
