package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/store"
)

var _ events.Store = (*DB)(nil)

// eventReach is an event's visibility as the number the scope compares.
func eventReach(visibility string) int {
	switch visibility {
	case "public":
		return 3
	case "alliance":
		return 2
	}
	return 1
}

// eventScope adds the policy for events: public and alliance events by
// their reach, cluster events to members of an organising cluster.
func (w *where) eventScope(s access.Scope) {
	if s.All {
		return
	}
	ors := []string{"e.reach >= " + w.arg(int(s.MinReach))}
	if len(s.Clusters) > 0 {
		ors = append(ors, "EXISTS (SELECT 1 FROM event_organisers so WHERE so.event_id = e.id AND so.cluster_id IN ("+w.inList(s.Clusters)+"))")
	}
	w.add("(" + strings.Join(ors, " OR ") + ")")
}

const eventCols = `e.id, e.slug, e.kind, e.title, e.description, e.language, e.translations, e.venue_kind, COALESCE(e.facility_id, ''),
	e.venue, e.online_url, e.time_zone, e.starts_at, e.ends_at, e.visibility, e.capabilities, e.capacity, e.waitlist, e.approval,
	e.questions, e.brokerage, e.audience, e.level, e.version, e.created_at, e.updated_at, e.calls,
	(SELECT COUNT(*) FROM registrations cr WHERE cr.event_id = e.id AND cr.status = 'confirmed')`

type scanner interface{ Scan(...any) error }

func scanEvent(row scanner) (events.Event, error) {
	var e events.Event
	var tr, caps, qs, br, cs string
	err := row.Scan(&e.ID, &e.Slug, &e.Kind, &e.Title, &e.Description, &e.Language, &tr, &e.VenueKind, &e.FacilityID,
		&e.Venue, &e.OnlineURL, &e.TimeZone, &e.StartsAt, &e.EndsAt, &e.Visibility, &caps, &e.Capacity, &e.Waitlist, &e.Approval,
		&qs, &br, &e.Audience, &e.Level, &e.Version, &e.CreatedAt, &e.UpdatedAt, &cs, &e.Confirmed)
	if err != nil {
		return e, err
	}
	e.StartsAt, e.EndsAt, e.CreatedAt, e.UpdatedAt = e.StartsAt.UTC(), e.EndsAt.UTC(), e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	if err := unjson(tr, &e.Translations); err != nil {
		return e, err
	}
	if err := unjson(caps, &e.Capabilities); err != nil {
		return e, err
	}
	if err := unjson(qs, &e.Questions); err != nil {
		return e, err
	}
	if err := unjson(cs, &e.Calls); err != nil {
		return e, err
	}
	if e.Calls == nil {
		e.Calls = []string{}
	}
	if br != "" {
		e.Brokerage = &events.Brokerage{}
		if err := json.Unmarshal([]byte(br), e.Brokerage); err != nil {
			return e, err
		}
	}
	return e, nil
}

func unjson(s string, v any) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

func tojson(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func callsJSON(cs []string) string {
	if cs == nil {
		return "[]"
	}
	return tojson(cs)
}

func brokerageJSON(b *events.Brokerage) string {
	if b == nil {
		return ""
	}
	return tojson(b)
}

func writeOrganisers(ctx context.Context, tx *Tx, e *events.Event) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_organisers WHERE event_id = $1`, e.ID); err != nil {
		return err
	}
	for i, c := range e.Organisers {
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_organisers (event_id, cluster_id, position) VALUES ($1, $2, $3)`, e.ID, c, i); err != nil {
			return err
		}
	}
	return nil
}

// CreateEvent stores a new event with its organisers.
func (db *DB) CreateEvent(ctx context.Context, e *events.Event) error {
	e.ID, e.Version = newID(), 1
	e.CreatedAt = now()
	e.UpdatedAt = e.CreatedAt
	e.StartsAt, e.EndsAt = e.StartsAt.UTC(), e.EndsAt.UTC()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO events (id, slug, kind, title, description, language, translations, venue_kind, facility_id,
			venue, online_url, time_zone, starts_at, ends_at, visibility, reach, capabilities, capacity, waitlist, approval, questions, brokerage,
			audience, level, version, created_at, updated_at, calls)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, 1, $25, $25, $26)`,
			e.ID, e.Slug, e.Kind, e.Title, e.Description, e.Language, tojson(e.Translations), e.VenueKind, nullable(e.FacilityID),
			e.Venue, e.OnlineURL, e.TimeZone, e.StartsAt, e.EndsAt, e.Visibility, eventReach(e.Visibility), tojson(e.Capabilities),
			e.Capacity, e.Waitlist, e.Approval, tojson(e.Questions), brokerageJSON(e.Brokerage), e.Audience, e.Level, e.CreatedAt, callsJSON(e.Calls))
		if err != nil {
			return err
		}
		if err := writeOrganisers(ctx, tx, e); err != nil {
			return err
		}
		return tx.Change(ctx, "event", e.ID, "create")
	}))
}

// lockEvent bumps the event's lock_version: on PostgreSQL that row lock
// makes concurrent registration writes of one event wait for each other,
// so the counts read after it see every write committed before; on
// SQLite the single writer already does.
func lockEvent(ctx context.Context, tx *Tx, id string) error {
	res, err := tx.ExecContext(ctx, `UPDATE events SET lock_version = lock_version + 1 WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("event", id)
	}
	return nil
}

func txEvent(ctx context.Context, tx *Tx, id string) (events.Event, error) {
	e, err := scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventCols+` FROM events e WHERE e.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("event", id)
	}
	return e, err
}

// UpdateEvent stores e if expect is its current version (0: no check),
// after check has seen the confirmed registrations; a higher capacity
// promotes from the waiting list.
func (db *DB) UpdateEvent(ctx context.Context, e *events.Event, expect int, check func(int) error) ([]events.Registration, error) {
	var promoted []events.Registration
	err := db.Transact(ctx, func(tx *Tx) error {
		promoted = nil
		if err := lockEvent(ctx, tx, e.ID); err != nil {
			return err
		}
		cur, err := txEvent(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		if expect != 0 && cur.Version != expect {
			return store.ErrStale
		}
		if err := check(cur.Confirmed); err != nil {
			return err
		}
		e.Version, e.UpdatedAt, e.CreatedAt = cur.Version+1, now(), cur.CreatedAt
		e.StartsAt, e.EndsAt = e.StartsAt.UTC(), e.EndsAt.UTC()
		_, err = tx.ExecContext(ctx, `UPDATE events SET slug = $2, kind = $3, title = $4, description = $5, language = $6, translations = $7,
			venue_kind = $8, facility_id = $9, venue = $10, online_url = $11, time_zone = $12, starts_at = $13, ends_at = $14, visibility = $15,
			reach = $16, capabilities = $17, capacity = $18, waitlist = $19, approval = $20, questions = $21, brokerage = $22, audience = $23,
			level = $24, version = $25, updated_at = $26, calls = $27 WHERE id = $1`,
			e.ID, e.Slug, e.Kind, e.Title, e.Description, e.Language, tojson(e.Translations), e.VenueKind, nullable(e.FacilityID),
			e.Venue, e.OnlineURL, e.TimeZone, e.StartsAt, e.EndsAt, e.Visibility, eventReach(e.Visibility), tojson(e.Capabilities),
			e.Capacity, e.Waitlist, e.Approval, tojson(e.Questions), brokerageJSON(e.Brokerage), e.Audience, e.Level, e.Version, e.UpdatedAt, callsJSON(e.Calls))
		if err != nil {
			return err
		}
		if err := writeOrganisers(ctx, tx, e); err != nil {
			return err
		}
		if promoted, err = fillPlaces(ctx, tx, e.ID); err != nil {
			return err
		}
		return tx.Change(ctx, "event", e.ID, "update")
	})
	return promoted, db.mapError(err)
}

// loadOrganisers fills the organisers of evs in one query.
func (db *DB) loadOrganisers(ctx context.Context, evs []events.Event) error {
	if len(evs) == 0 {
		return nil
	}
	var w where
	ids := make([]string, len(evs))
	pos := map[string]int{}
	for i, e := range evs {
		ids[i] = e.ID
		pos[e.ID] = i
		evs[i].Organisers = []string{}
	}
	rows, err := db.query(ctx, `SELECT event_id, cluster_id FROM event_organisers WHERE event_id IN (`+w.inList(ids)+`) ORDER BY event_id, position`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ev, c string
		if err := rows.Scan(&ev, &c); err != nil {
			return err
		}
		evs[pos[ev]].Organisers = append(evs[pos[ev]].Organisers, c)
	}
	return rows.Err()
}

// GetEvent returns the event with that id or slug, as the scope in ctx
// sees it.
func (db *DB) GetEvent(ctx context.Context, idOrSlug string) (events.Event, error) {
	var w where
	a := w.arg(idOrSlug)
	w.add("(e.id = " + a + " OR e.slug = " + a + ")")
	w.eventScope(access.ScopeFrom(ctx))
	e, err := scanEvent(db.queryRow(ctx, `SELECT `+eventCols+` FROM events e`+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("event", idOrSlug)
	}
	if err != nil {
		return e, err
	}
	evs := []events.Event{e}
	err = db.loadOrganisers(ctx, evs)
	return evs[0], err
}

// ListEvents lists the events the scope in ctx sees, by start.
func (db *DB) ListEvents(ctx context.Context, f events.Filter) ([]events.Event, error) {
	var w where
	w.eventScope(access.ScopeFrom(ctx))
	if !f.From.IsZero() {
		w.add("e.ends_at > " + w.arg(f.From.UTC()))
	}
	if !f.To.IsZero() {
		w.add("e.starts_at < " + w.arg(f.To.UTC()))
	}
	if f.Kind != "" {
		w.add("e.kind = " + w.arg(f.Kind))
	}
	if f.Cluster != "" {
		w.add("EXISTS (SELECT 1 FROM event_organisers fo WHERE fo.event_id = e.id AND fo.cluster_id = " + w.arg(f.Cluster) + ")")
	}
	rows, err := db.query(ctx, `SELECT `+eventCols+` FROM events e`+w.sql()+fmt.Sprintf(` ORDER BY e.starts_at, e.slug LIMIT %d`, f.Limit), w.args...)
	if err != nil {
		return nil, err
	}
	out := []events.Event{}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.loadOrganisers(ctx, out)
}

// ---- sessions

const sessionCols = `s.id, s.event_id, s.title, s.room, s.starts_at, s.ends_at, s.capacity, s.speakers, s.version,
	(SELECT COUNT(*) FROM session_registrations sr WHERE sr.session_id = s.id AND sr.status = 'confirmed')`

func scanSession(row scanner) (events.Session, error) {
	var s events.Session
	var sp string
	err := row.Scan(&s.ID, &s.EventID, &s.Title, &s.Room, &s.StartsAt, &s.EndsAt, &s.Capacity, &sp, &s.Version, &s.Confirmed)
	if err != nil {
		return s, err
	}
	s.StartsAt, s.EndsAt = s.StartsAt.UTC(), s.EndsAt.UTC()
	return s, unjson(sp, &s.Speakers)
}

// CreateEventSession stores a programme item.
func (db *DB) CreateEventSession(ctx context.Context, s *events.Session) error {
	return db.CreateEventSessions(ctx, []*events.Session{s})
}

// CreateEventSessions adds sessions (the occurrences of a repeating one)
// in one transaction: all or none.
func (db *DB) CreateEventSessions(ctx context.Context, ss []*events.Session) error {
	t := now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		for _, s := range ss {
			s.ID, s.Version = newID(), 1
			_, err := tx.ExecContext(ctx, `INSERT INTO event_sessions (id, event_id, title, room, starts_at, ends_at, capacity, speakers, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)`, s.ID, s.EventID, s.Title, s.Room, s.StartsAt.UTC(), s.EndsAt.UTC(), s.Capacity, tojson(s.Speakers), t)
			if err != nil {
				return err
			}
		}
		if len(ss) == 0 {
			return nil
		}
		return tx.Change(ctx, "event", ss[0].EventID, "session")
	}))
}

// UpdateEventSession stores s if expect is its version, after check has seen
// its confirmed places; a higher capacity promotes from its waiting list.
func (db *DB) UpdateEventSession(ctx context.Context, s *events.Session, expect int, check func(int) error) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if err := lockEvent(ctx, tx, s.EventID); err != nil {
			return err
		}
		cur, err := scanSession(tx.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM event_sessions s WHERE s.id = $1 AND s.event_id = $2`, s.ID, s.EventID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("session", s.ID)
		}
		if err != nil {
			return err
		}
		if expect != 0 && cur.Version != expect {
			return store.ErrStale
		}
		if err := check(cur.Confirmed); err != nil {
			return err
		}
		s.Version, s.Confirmed = cur.Version+1, cur.Confirmed
		_, err = tx.ExecContext(ctx, `UPDATE event_sessions SET title = $2, room = $3, starts_at = $4, ends_at = $5, capacity = $6, speakers = $7,
			version = $8, updated_at = $9 WHERE id = $1`, s.ID, s.Title, s.Room, s.StartsAt.UTC(), s.EndsAt.UTC(), s.Capacity, tojson(s.Speakers), s.Version, now())
		if err != nil {
			return err
		}
		if _, err := fillPlaces(ctx, tx, s.EventID); err != nil {
			return err
		}
		return tx.Change(ctx, "event", s.EventID, "session")
	}))
}

func listSessions(ctx context.Context, q func(context.Context, string, ...any) (*sql.Rows, error), eventID string) ([]events.Session, error) {
	rows, err := q(ctx, `SELECT `+sessionCols+` FROM event_sessions s WHERE s.event_id = $1 ORDER BY s.starts_at, s.title`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []events.Session{}
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ListEventSessions lists an event's programme by start.
func (db *DB) ListEventSessions(ctx context.Context, eventID string) ([]events.Session, error) {
	return listSessions(ctx, db.query, eventID)
}
