package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/postings"
	"github.com/escnet/escnet/internal/store"
)

// The event pages: the list by date, a month calendar, an event with its
// programme and the registration form, the participants of a brokerage
// event with meeting requests, the personal meeting agenda (and the
// organiser's scheduler), and the organiser's attendee and check-in list.
// Each handler reads the form, calls one events.Service method and
// renders; the service decides who may do what.

// eventRow is an event as a list shows it: times on the venue's clocks.
type eventRow struct {
	Slug, Title, Kind, When, Where, Organisers string
}

// eventTable is a list of events with the localizer that labels it.
type eventTable struct {
	L    *Localizer
	Rows []eventRow
}

type eventsPage struct {
	layout
	CanCreate      bool // the viewer may organise events
	Upcoming, Past eventTable
	Kind           string // the kind shown, "" for all
	Kinds          []kindLink
}

// kindLink filters the list by one kind (the trainings catalogue is
// /events?kind=training).
type kindLink struct {
	Kind, Label string
	Current     bool
}

// localSpan formats an event's or session's times in its zone.
func localSpan(l *Localizer, start, end time.Time, zone string) string {
	loc := events.Event{TimeZone: zone}.Location()
	s, e := start.In(loc), end.In(loc)
	abbr, _ := s.Zone()
	if s.Format(time.DateOnly) == e.Format(time.DateOnly) {
		return l.Date(s) + ", " + s.Format("15:04") + "–" + e.Format("15:04") + " " + abbr
	}
	return l.Date(s) + " " + s.Format("15:04") + " – " + l.Date(e) + " " + e.Format("15:04") + " " + abbr
}

func (s *Server) clusterNames(r *http.Request, ids []string) string {
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		if c, err := s.dir.GetCluster(system(r.Context()), id); err == nil {
			names = append(names, c.Name)
		}
	}
	return strings.Join(names, ", ")
}

func (s *Server) eventRowOf(r *http.Request, l *Localizer, e events.Event) eventRow {
	where := e.Venue
	if e.VenueKind == events.VenueOnline {
		where = l.T("event.online")
	}
	return eventRow{Slug: e.Slug, Title: e.TextIn(l.Lang).Title, Kind: l.T("event_kind." + e.Kind),
		When: localSpan(l, e.StartsAt, e.EndsAt, e.TimeZone), Where: where, Organisers: s.clusterNames(r, e.Organisers)}
}

func (s *Server) pageEvents(w http.ResponseWriter, r *http.Request) error {
	kind := r.URL.Query().Get("kind")
	if kind != "" && !slices.Contains(events.Kinds, kind) {
		kind = ""
	}
	evs, err := s.ev.ListEvents(r.Context(), events.Filter{Kind: kind, Limit: 500})
	if err != nil {
		return err
	}
	data := eventsPage{layout: s.layout(r, "title.events", "events"), Kind: kind}
	_, cerr := s.ev.OrganiserClusters(r.Context())
	data.CanCreate = cerr == nil
	for _, k := range events.Kinds {
		data.Kinds = append(data.Kinds, kindLink{Kind: k, Label: data.L.T("event_kinds." + k), Current: k == kind})
	}
	data.Upcoming.L, data.Past.L = data.L, data.L
	now := time.Now()
	for _, e := range evs {
		row := s.eventRowOf(r, data.L, e)
		if e.EndsAt.Before(now) {
			data.Past.Rows = append([]eventRow{row}, data.Past.Rows...)
		} else {
			data.Upcoming.Rows = append(data.Upcoming.Rows, row)
		}
	}
	return s.render(w, http.StatusOK, "event_list", data)
}

// calendarDay is one cell of the month view.
type calendarDay struct {
	Day    int
	Today  bool
	Events []eventRow
}

type eventCalendarPage struct {
	layout
	Month      string
	Weeks      [][]calendarDay
	Prev, Next string
	Weekdays   []string
}

func (s *Server) pageEventCalendar(w http.ResponseWriter, r *http.Request) error {
	month := time.Now().UTC()
	if m := r.URL.Query().Get("month"); m != "" {
		t, err := time.Parse("2006-01", m)
		if err != nil {
			return errBadRequest("Malformed month.", nil)
		}
		month = t
	}
	first := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	next := first.AddDate(0, 1, 0)
	evs, err := s.ev.ListEvents(r.Context(), events.Filter{From: first.AddDate(0, 0, -1), To: next.AddDate(0, 0, 1), Limit: 1000})
	if err != nil {
		return err
	}
	data := eventCalendarPage{layout: s.layout(r, "title.event_calendar", "events"), Prev: first.AddDate(0, -1, 0).Format("2006-01"), Next: next.Format("2006-01")}
	data.Month = data.L.T("month."+strconv.Itoa(int(first.Month()))) + " " + strconv.Itoa(first.Year())
	for d := range 7 {
		data.Weekdays = append(data.Weekdays, data.L.T("weekday."+strconv.Itoa((d+1)%7)))
	}
	days := s.calendarDays(r, evs)
	lead := (int(first.Weekday()) + 6) % 7 // weeks start on Monday
	var week []calendarDay
	for range lead {
		week = append(week, calendarDay{})
	}
	today := time.Now().UTC().Format(time.DateOnly)
	for d := first; d.Before(next); d = d.AddDate(0, 0, 1) {
		cell := calendarDay{Day: d.Day(), Today: d.Format(time.DateOnly) == today}
		for i, e := range evs {
			if days[i](d.Format(time.DateOnly)) {
				cell.Events = append(cell.Events, s.eventRowOf(r, data.L, e))
			}
		}
		week = append(week, cell)
		if len(week) == 7 {
			data.Weeks, week = append(data.Weeks, week), nil
		}
	}
	if len(week) > 0 {
		for len(week) < 7 {
			week = append(week, calendarDay{})
		}
		data.Weeks = append(data.Weeks, week)
	}
	return s.render(w, http.StatusOK, "event_calendar", data)
}

// sessionRow is a programme item as the event page shows it.
type sessionRow struct {
	ID, Title, Room, When, Speakers string
	Places                          string
}

type eventPage struct {
	layout
	Event       events.Event
	Text        events.Text
	Row         eventRow
	Places      string
	Sessions    []sessionRow
	Mine        *events.Registration
	MyStatus    string
	CanRegister bool
	Organiser   bool
	Brokerage   bool
	Errors      []ProblemField
	// Suggestions are whom a confirmed attendee of a brokerage event
	// could meet.
	Suggestions []suggestionRow
}

func (s *Server) eventPageData(r *http.Request, slug string) (eventPage, error) {
	ctx := r.Context()
	e, err := s.ev.GetEvent(ctx, slug)
	if err != nil {
		return eventPage{}, err
	}
	data := eventPage{layout: s.layout(r, e.TextIn(s.loc(r).Lang).Title, "events"), Event: e, Organiser: s.ev.CanManage(ctx, e), Brokerage: e.Brokerage != nil}
	data.Text = e.TextIn(data.L.Lang)
	data.Row = s.eventRowOf(r, data.L, e)
	if e.Capacity > 0 {
		data.Places = data.L.T("event.places", "left", max(0, e.Capacity-e.Confirmed), "capacity", e.Capacity)
	}
	for _, ses := range e.Sessions {
		names := make([]string, 0, len(ses.Speakers))
		for _, sp := range ses.Speakers {
			n := sp.Name
			if sp.Affiliation != "" {
				n += " (" + sp.Affiliation + ")"
			}
			names = append(names, n)
		}
		row := sessionRow{ID: ses.ID, Title: ses.Title, Room: ses.Room, When: localSpan(data.L, ses.StartsAt, ses.EndsAt, e.TimeZone), Speakers: strings.Join(names, ", ")}
		if ses.Capacity > 0 {
			row.Places = data.L.T("event.places", "left", max(0, ses.Capacity-ses.Confirmed), "capacity", ses.Capacity)
		}
		data.Sessions = append(data.Sessions, row)
	}
	v := viewerFrom(ctx)
	if !v.Anonymous() {
		if mine, err := s.ev.MyRegistration(ctx, e.ID); err == nil {
			data.Mine = &mine
			data.MyStatus = data.L.T("registration_status." + mine.Status)
		} else if !errors.Is(err, store.ErrNotFound) {
			return data, err
		}
		data.CanRegister = data.Mine == nil && v.WriteAllowed && e.EndsAt.After(time.Now())
		if data.Brokerage && data.Mine != nil && data.Mine.Status == events.StatusConfirmed {
			data.Suggestions = s.suggestionRows(r, e)
		}
	}
	return data, nil
}

func (s *Server) pageEvent(w http.ResponseWriter, r *http.Request) error {
	data, err := s.eventPageData(r, r.PathValue("slug"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "event", data)
}

// formProblem renders fields of a 422 or 409 on the page that sent the
// form; other errors go to the error page.
func (s *Server) formProblem(r *http.Request, err error) ([]ProblemField, int, bool) {
	p := toProblem(r, err)
	if len(p.Errors) == 0 || (p.Status != http.StatusUnprocessableEntity && p.Status != http.StatusConflict) {
		return nil, 0, false
	}
	return p.Errors, p.Status, true
}

func (s *Server) postRegister(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	in := events.RegisterInput{Answers: map[string]string{}, Sessions: r.PostForm["sessions"], ShareEmail: r.PostFormValue("share_email") == "on",
		ShareOrg: r.PostFormValue("share_organisation") == "on", Offer: r.PostFormValue("offer"), Seek: r.PostFormValue("seek")}
	for k, vs := range r.PostForm {
		if id, ok := strings.CutPrefix(k, "answer_"); ok && len(vs) > 0 && vs[0] != "" {
			in.Answers[id] = vs[0]
		}
	}
	if _, err := s.ev.Register(r.Context(), slug, in); err != nil {
		return s.eventFormError(w, r, slug, s.eventErr(r, err))
	}
	http.Redirect(w, r, "/events/"+url.PathEscape(slug), http.StatusSeeOther)
	return nil
}

func (s *Server) eventFormError(w http.ResponseWriter, r *http.Request, slug string, err error) error {
	fields, status, ok := s.formProblem(r, err)
	if !ok {
		return err
	}
	data, derr := s.eventPageData(r, slug)
	if derr != nil {
		return derr
	}
	data.Errors = fields
	return s.render(w, status, "event", data)
}

func (s *Server) postCancelRegistration(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	mine, err := s.ev.MyRegistration(r.Context(), slug)
	if err != nil {
		return s.eventErr(r, err)
	}
	if _, err := s.ev.Cancel(r.Context(), mine.ID, formVersion(r)); err != nil {
		return s.eventFormError(w, r, slug, s.eventErr(r, err))
	}
	http.Redirect(w, r, "/events/"+url.PathEscape(slug), http.StatusSeeOther)
	return nil
}

// participantRow is an attendee as other attendees see them.
type participantRow struct {
	ID, Name, Org, Email, Offer, Seek string
	Me, Asked                         bool
	// Postings are the current partner-search postings of the attendee's
	// organisation (shown only when the attendee shares it): the
	// cooperation offers and requests of the brokerage reuse them.
	Offers, Seeks []postings.Posting
}

type participantsPage struct {
	layout
	Event  events.Event
	Title  string
	Rows   []participantRow
	Errors []ProblemField
}

func (s *Server) participantsData(r *http.Request) (participantsPage, error) {
	ctx := r.Context()
	e, err := s.ev.GetEvent(ctx, r.PathValue("slug"))
	if err != nil {
		return participantsPage{}, err
	}
	rs, err := s.ev.Participants(ctx, e.ID)
	if err != nil {
		return participantsPage{}, s.eventErr(r, err)
	}
	l := s.loc(r)
	data := participantsPage{layout: s.layout(r, l.T("title.participants", "event", e.TextIn(l.Lang).Title), "events"), Event: e, Title: e.TextIn(l.Lang).Title}
	_, me, ms, _ := s.ev.MyMeetings(ctx, e.ID)
	// One read of the current postings, grouped by organisation, rather
	// than one per attendee.
	current, err := s.postings.List(ctx, postings.Filter{})
	if err != nil {
		return participantsPage{}, err
	}
	byOrg := map[string][]postings.Posting{}
	for _, p := range current {
		byOrg[p.OrganisationID] = append(byOrg[p.OrganisationID], p)
	}
	for _, p := range rs {
		row := participantRow{ID: p.ID, Name: p.Name, Org: p.Org, Email: p.Email, Offer: p.Offer, Seek: p.Seek, Me: p.ID == me.ID}
		if p.ShareOrg && p.OrgID != "" {
			for _, po := range byOrg[p.OrgID] {
				if po.Kind == postings.KindOffer {
					row.Offers = append(row.Offers, po)
				} else {
					row.Seeks = append(row.Seeks, po)
				}
			}
		}
		row.Asked = slices.ContainsFunc(ms, func(m events.Meeting) bool {
			return (m.FromID == p.ID || m.ToID == p.ID) && (m.Status == events.MeetingRequested || m.Status == events.MeetingAccepted)
		})
		data.Rows = append(data.Rows, row)
	}
	return data, nil
}

func (s *Server) pageParticipants(w http.ResponseWriter, r *http.Request) error {
	data, err := s.participantsData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "event_participants", data)
}

func (s *Server) postRequestMeeting(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	_, err := s.ev.RequestMeeting(r.Context(), slug, events.MeetingInput{To: r.PostFormValue("to"), Message: r.PostFormValue("message")})
	if err != nil {
		err = s.eventErr(r, err)
		fields, status, ok := s.formProblem(r, err)
		if !ok {
			return err
		}
		data, derr := s.participantsData(r)
		if derr != nil {
			return derr
		}
		data.Errors = fields
		return s.render(w, status, "event_participants", data)
	}
	http.Redirect(w, r, "/events/"+url.PathEscape(slug)+"/meetings", http.StatusSeeOther)
	return nil
}

// meetingRow is a meeting request or meeting as the agenda shows it.
type meetingRow struct {
	ID, With, Message, Status, When string
	// Outcome is the viewer's side's record of what came of it.
	Outcome                        string
	Table                          int
	Version                        int
	Incoming, CanAnswer, CanCancel bool
}

type meetingsPage struct {
	layout
	Event      events.Event
	Title      string
	Registered bool
	Agenda     []meetingRow
	Requests   []meetingRow
	Organiser  bool
	Plan       []meetingRow
	Result     *events.PlanResult
	Errors     []ProblemField
	// Me is the viewer's registration (its unavailable times); Outcomes
	// the choices of the follow-up form.
	Me       string
	Outcomes []option
}

func (s *Server) meetingsData(r *http.Request) (meetingsPage, error) {
	ctx := r.Context()
	if viewerFrom(ctx).Anonymous() {
		return meetingsPage{}, errForbidden(viewerFrom(ctx))
	}
	e, me, ms, err := s.ev.MyMeetings(ctx, r.PathValue("slug"))
	if err != nil && !errors.Is(err, store.ErrNotFound) || e.ID == "" {
		return meetingsPage{}, err
	}
	l := s.loc(r)
	data := meetingsPage{layout: s.layout(r, l.T("title.meetings", "event", e.TextIn(l.Lang).Title), "events"), Event: e,
		Title: e.TextIn(l.Lang).Title, Registered: me.ID != "", Organiser: s.ev.CanManage(ctx, e), Me: me.ID}
	data.Outcomes = opts(l, "outcome.", events.Outcomes, "")
	for _, m := range ms {
		row := s.meetingRowOf(l, e, m, me.ID)
		if m.Status == events.MeetingAccepted && m.StartsAt != nil {
			data.Agenda = append(data.Agenda, row)
		} else {
			data.Requests = append(data.Requests, row)
		}
	}
	if data.Organiser {
		_, all, err := s.ev.Meetings(ctx, e.ID)
		if err != nil {
			return data, err
		}
		for _, m := range all {
			if m.Status == events.MeetingAccepted {
				row := s.meetingRowOf(l, e, m, "")
				row.With = m.FromName + " — " + m.ToName
				data.Plan = append(data.Plan, row)
			}
		}
	}
	return data, nil
}

func (s *Server) meetingRowOf(l *Localizer, e events.Event, m events.Meeting, me string) meetingRow {
	row := meetingRow{ID: m.ID, Message: m.Message, Status: l.T("meeting_status." + m.Status), Version: m.Version, Incoming: m.ToID == me}
	row.With = m.ToName
	if m.ToID == me {
		row.With = m.FromName
	}
	if m.StartsAt != nil {
		row.When, row.Table = localSpan(l, *m.StartsAt, *m.EndsAt, e.TimeZone), m.Table+1
	}
	row.Outcome = m.OutcomeFrom
	if m.ToID == me {
		row.Outcome = m.OutcomeTo
	}
	row.CanAnswer = row.Incoming && m.Status == events.MeetingRequested
	row.CanCancel = me != "" && (m.Status == events.MeetingRequested || m.Status == events.MeetingAccepted)
	return row
}

func (s *Server) pageMeetings(w http.ResponseWriter, r *http.Request) error {
	data, err := s.meetingsData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "event_meetings", data)
}

func (s *Server) meetingsFormError(w http.ResponseWriter, r *http.Request, err error) error {
	err = s.eventErr(r, err)
	fields, status, ok := s.formProblem(r, err)
	if !ok {
		return err
	}
	data, derr := s.meetingsData(r)
	if derr != nil {
		return derr
	}
	data.Errors = fields
	return s.render(w, status, "event_meetings", data)
}

func (s *Server) postMeetingStep(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if _, err := s.ev.RespondMeeting(r.Context(), r.PathValue("id"), r.PostFormValue("status"), formVersion(r)); err != nil {
		return s.meetingsFormError(w, r, err)
	}
	http.Redirect(w, r, "/events/"+url.PathEscape(r.PathValue("slug"))+"/meetings", http.StatusSeeOther)
	return nil
}

func (s *Server) postSchedule(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	res, err := s.ev.Schedule(r.Context(), r.PathValue("slug"))
	if err != nil {
		return s.meetingsFormError(w, r, err)
	}
	data, err := s.meetingsData(r)
	if err != nil {
		return err
	}
	data.Result = &res
	return s.render(w, http.StatusOK, "event_meetings", data)
}

// attendeeRow is a registration as the organiser's list shows it.
type attendeeRow struct {
	ID, Name, Org, Email, Status, CheckedIn string
	Pending, Confirmed                      bool
	Version                                 int
}

type attendeesPage struct {
	layout
	Brokerage bool // the event has 1:1 meetings
	Event     events.Event
	Title     string
	Rows      []attendeeRow
	Counts    map[string]int
}

func (s *Server) pageAttendees(w http.ResponseWriter, r *http.Request) error {
	e, rs, err := s.ev.Attendees(r.Context(), r.PathValue("slug"))
	if err != nil {
		return s.eventErr(r, err)
	}
	l := s.loc(r)
	data := attendeesPage{layout: s.layout(r, l.T("title.attendees", "event", e.TextIn(l.Lang).Title), "events"), Event: e,
		Title: e.TextIn(l.Lang).Title, Counts: map[string]int{}, Brokerage: e.Brokerage != nil}
	for _, reg := range rs {
		data.Counts[reg.Status]++
		row := attendeeRow{ID: reg.ID, Name: reg.Name, Org: reg.Org, Email: reg.Email, Status: l.T("registration_status." + reg.Status),
			Pending: reg.Status == events.StatusPending, Confirmed: reg.Status == events.StatusConfirmed, Version: reg.Version}
		if reg.CheckedInAt != nil {
			row.CheckedIn = localSpan(l, *reg.CheckedInAt, *reg.CheckedInAt, e.TimeZone)
		}
		data.Rows = append(data.Rows, row)
	}
	return s.render(w, http.StatusOK, "event_attendees", data)
}

func (s *Server) postAttendeeStep(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx, id := r.Context(), r.PathValue("id")
	var err error
	switch r.PostFormValue("action") {
	case "approve", "decline":
		_, err = s.ev.Decide(ctx, id, r.PostFormValue("action") == "approve", formVersion(r))
	case "check_in":
		_, err = s.ev.CheckIn(ctx, id)
	default:
		err = errBadRequest("Unknown action.", nil)
	}
	if err != nil {
		return s.eventErr(r, err)
	}
	http.Redirect(w, r, "/events/"+url.PathEscape(r.PathValue("slug"))+"/attendees", http.StatusSeeOther)
	return nil
}

// figureRow is one figure with its label.
type figureRow struct {
	Label string
	Value int
}

type figuresPage struct {
	layout
	Event events.Event
	Title string
	Chart template.HTML
	Rows  []figureRow
}

// pageFigures shows an event's figures as a bar chart with the same
// numbers in a table (organisers only).
func (s *Server) pageFigures(w http.ResponseWriter, r *http.Request) error {
	e, figs, err := s.ev.Figures(r.Context(), r.PathValue("slug"))
	if err != nil {
		return s.eventErr(r, err)
	}
	l := s.loc(r)
	label := func(k string) string { return l.T("figure." + k) }
	data := figuresPage{layout: s.layout(r, l.T("title.figures", "event", e.TextIn(l.Lang).Title), "events"), Event: e, Title: e.TextIn(l.Lang).Title,
		Chart: template.HTML(events.Chart(figs, label))} // the chart escapes its labels
	for _, f := range figs {
		data.Rows = append(data.Rows, figureRow{Label: label(f.Key), Value: f.Value})
	}
	return s.render(w, http.StatusOK, "event_figures", data)
}

// eventKeyFamilies are the message keys the event pages build at run
// time, for TestLocalesComplete.
func eventKeyFamilies() map[string][]string {
	return map[string][]string{
		"event_kind.":          events.Kinds,
		"registration_status.": {events.StatusPending, events.StatusConfirmed, events.StatusWaiting, events.StatusDeclined, events.StatusCancelled},
		"meeting_status.":      {events.MeetingRequested, events.MeetingAccepted, events.MeetingDeclined, events.MeetingCancelled},
		"event_level.":         events.Levels,
		"event_kinds.":         events.Kinds,
		"event.":               {"online", "places"}, // written from Go, with arguments
		"figure.":              events.FigureKeys(),
		"field.": {"event", "sessions", "answers", "organisers", "brokerage", "offer", "seek", "message", "outcome", "venue_kind", "venue",
			"online_url", "facility_id", "language", "translations", "questions", "audience", "level", "times", "repeat"},
		"mail.event.": mailEventKeys(),
		// the organisers' forms (events_forms.go) and the follow-up
		// (events_followup.go)
		"eventform.":            {"no_level", "line", "changed_meanwhile"},
		"eventform.lang.":       events.Languages,
		"eventform.venue.":      {events.VenueAddress, events.VenueFacility, events.VenueOnline},
		"eventform.visibility.": events.Visibilities,
		"outcome.":              events.Outcomes,
		"field.brokerage.":      {"days", "breaks", "slot_minutes", "tables", "cap"},
		"field.repeat.":         {"freq", "interval", "count", "until"},
		"suggest.":              {"offer_words", "consortium"},
	}
}

func mailEventKeys() []string {
	var out []string
	for _, k := range events.NoticeKeys {
		out = append(out, k+".subject", k+".body")
	}
	return out
}
