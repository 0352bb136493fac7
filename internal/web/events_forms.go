package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// The organisers' forms: a new event, an event's settings (venue, times,
// registration, brokerage settings) and its programme (sessions, which
// may repeat). Who may organise is the events service's decision; the
// handlers read the form, call it and show its answer, naming the field.

// eventForm is the event form as typed.
type eventForm struct {
	Slug, Kind, Title, Description, Language, VenueKind, FacilityID, Venue, OnlineURL, TimeZone string
	StartsAt, EndsAt, Visibility, Capabilities, Capacity, Audience, Level, Questions            string
	Waitlist, Approval, Brokerage                                                               bool
	SlotMinutes, Tables, Cap, Days, Breaks, Calls                                               string
	Organisers                                                                                  []string
	Translations                                                                                map[string]events.Text
}

const localInput = "2006-01-02T15:04"

func formOfEvent(e events.Event) eventForm {
	loc := e.Location()
	f := eventForm{Slug: e.Slug, Kind: e.Kind, Title: e.Title, Description: e.Description, Language: e.Language, VenueKind: e.VenueKind,
		FacilityID: e.FacilityID, Venue: e.Venue, OnlineURL: e.OnlineURL, TimeZone: e.TimeZone, StartsAt: e.StartsAt.In(loc).Format(localInput),
		EndsAt: e.EndsAt.In(loc).Format(localInput), Visibility: e.Visibility, Capabilities: strings.Join(e.Capabilities, ", "),
		Audience: e.Audience, Level: e.Level, Waitlist: e.Waitlist, Approval: e.Approval, Organisers: e.Organisers, Translations: e.Translations,
		Calls: strings.Join(e.Calls, "\n")}
	if e.Capacity > 0 {
		f.Capacity = strconv.Itoa(e.Capacity)
	}
	var qs []string
	for _, q := range e.Questions {
		line := q.ID + " | " + q.Label
		if q.Required || len(q.Choices) > 0 {
			line += " | "
			if q.Required {
				line += "*"
			}
		}
		if len(q.Choices) > 0 {
			line += " | " + strings.Join(q.Choices, "; ")
		}
		qs = append(qs, line)
	}
	f.Questions = strings.Join(qs, "\n")
	if b := e.Brokerage; b != nil {
		f.Brokerage, f.SlotMinutes, f.Tables = true, strconv.Itoa(b.SlotMinutes), strconv.Itoa(b.Tables)
		if b.Cap > 0 {
			f.Cap = strconv.Itoa(b.Cap)
		}
		var days, breaks []string
		for _, d := range b.Days {
			days = append(days, d.Date+" "+d.Start+"-"+d.End)
		}
		for _, br := range b.Breaks {
			breaks = append(breaks, br.Start+"-"+br.End)
		}
		f.Days, f.Breaks = strings.Join(days, "\n"), strings.Join(breaks, "\n")
	}
	return f
}

func readEventForm(v url.Values) eventForm {
	f := eventForm{Slug: strings.TrimSpace(v.Get("slug")), Kind: v.Get("kind"), Title: v.Get("title"), Description: v.Get("description"),
		Language: v.Get("language"), VenueKind: v.Get("venue_kind"), FacilityID: v.Get("facility_id"), Venue: v.Get("venue"),
		OnlineURL: strings.TrimSpace(v.Get("online_url")), TimeZone: strings.TrimSpace(v.Get("time_zone")), StartsAt: v.Get("starts_at"),
		EndsAt: v.Get("ends_at"), Visibility: v.Get("visibility"), Capabilities: v.Get("capabilities"), Capacity: v.Get("capacity"),
		Audience: v.Get("audience"), Level: v.Get("level"), Questions: v.Get("questions"), Waitlist: v.Get("waitlist") == "on",
		Approval: v.Get("approval") == "on", Brokerage: v.Get("brokerage") == "on", SlotMinutes: v.Get("slot_minutes"), Tables: v.Get("tables"),
		Cap: v.Get("cap"), Days: v.Get("days"), Breaks: v.Get("breaks"), Organisers: v["organisers"], Translations: map[string]events.Text{},
		Calls: v.Get("calls")}
	for _, lang := range events.Languages {
		t := events.Text{Title: strings.TrimSpace(v.Get("title_" + lang)), Description: v.Get("description_" + lang)}
		if lang != f.Language && (t.Title != "" || strings.TrimSpace(t.Description) != "") {
			f.Translations[lang] = t
		}
	}
	return f
}

// formInt reads a whole number of a form field ("" is 0).
func formInt(errs *validate.Errors, field, s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		errs.Add(field, validate.WrongType, "expected", "integer")
	}
	return n
}

// lines splits a text area into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// clockSpan reads "09:00-12:30".
func clockSpan(s string) (string, string, bool) {
	a, b, ok := strings.Cut(strings.ReplaceAll(s, " ", ""), "-")
	return a, b, ok && a != "" && b != ""
}

// input turns the form into the service's input; what cannot be read
// (a number, a line) is refused naming the field.
func (f eventForm) input() (events.EventInput, validate.Errors) {
	var errs validate.Errors
	in := events.EventInput{Slug: f.Slug, Kind: f.Kind, Title: f.Title, Description: f.Description, Language: f.Language,
		Organisers: f.Organisers, VenueKind: f.VenueKind, Venue: strings.TrimSpace(f.Venue), OnlineURL: f.OnlineURL, TimeZone: f.TimeZone,
		StartsAt: f.StartsAt, EndsAt: f.EndsAt, Visibility: f.Visibility, Capacity: formInt(&errs, "capacity", f.Capacity),
		Waitlist: f.Waitlist, Approval: f.Approval, Audience: f.Audience, Level: f.Level, Questions: []events.Question{}}
	if len(f.Translations) > 0 {
		in.Translations = f.Translations
	}
	if f.VenueKind == events.VenueFacility {
		in.FacilityID = f.FacilityID
	}
	for _, c := range strings.FieldsFunc(f.Capabilities, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == ';' }) {
		in.Capabilities = append(in.Capabilities, c)
	}
	for _, c := range strings.FieldsFunc(f.Calls, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' }) {
		in.Calls = append(in.Calls, c)
	}
	for i, l := range lines(f.Questions) {
		parts := strings.Split(l, "|")
		for k := range parts {
			parts[k] = strings.TrimSpace(parts[k])
		}
		if len(parts) < 2 {
			errs.Add(fmt.Sprintf("questions[%d]", i), validate.InvalidFormat)
			continue
		}
		q := events.Question{ID: parts[0], Label: parts[1]}
		if len(parts) > 2 {
			q.Required = parts[2] == "*"
		}
		if len(parts) > 3 {
			for _, c := range strings.Split(parts[3], ";") {
				if c = strings.TrimSpace(c); c != "" {
					q.Choices = append(q.Choices, c)
				}
			}
		}
		in.Questions = append(in.Questions, q)
	}
	if f.Brokerage {
		b := &events.Brokerage{SlotMinutes: formInt(&errs, "brokerage.slot_minutes", f.SlotMinutes),
			Tables: formInt(&errs, "brokerage.tables", f.Tables), Cap: formInt(&errs, "brokerage.cap", f.Cap), Days: []events.MeetingDay{}}
		for i, l := range lines(f.Days) {
			date, span, _ := strings.Cut(l, " ")
			start, end, ok := clockSpan(span)
			if !ok {
				errs.Add(fmt.Sprintf("brokerage.days[%d]", i), validate.InvalidFormat)
				continue
			}
			b.Days = append(b.Days, events.MeetingDay{Date: date, Start: start, End: end})
		}
		for i, l := range lines(f.Breaks) {
			start, end, ok := clockSpan(l)
			if !ok {
				errs.Add(fmt.Sprintf("brokerage.breaks[%d]", i), validate.InvalidFormat)
				continue
			}
			b.Breaks = append(b.Breaks, events.Break{Start: start, End: end})
		}
		in.Brokerage = b
	}
	return in, errs
}

// eventFormErrors adds to what the form could not read the service's own
// checks of the rest (BuildEvent validates without writing), so that one
// submission names every field that is wrong.
func eventFormErrors(in events.EventInput, errs validate.Errors) error {
	if len(errs) == 0 {
		return nil
	}
	if in.VenueKind == events.VenueFacility && in.TimeZone == "" {
		return errs // the zone comes from the facility, which the service reads
	}
	var more validate.Errors
	if _, err := events.BuildEvent(in); errors.As(err, &more) {
		for _, fe := range more {
			if !slices.ContainsFunc(errs, func(x validate.FieldError) bool { return x.Field == fe.Field }) {
				errs = append(errs, fe)
			}
		}
	}
	return errs
}

// langText is the title and description of the event in one other
// language, for the form.
type langText struct {
	Lang, Name string
	Text       events.Text
}

// checkOption is a checkbox of a list.
type checkOption struct {
	Value, Label string
	Checked      bool
}

type eventEditPage struct {
	layout
	New            bool
	Action         string
	Event          events.Event // the stored event, when editing
	F              eventForm
	Kinds          []option
	EventLanguages []option
	Venues         []option
	Visibility     []option
	Levels         []option
	Facilities     []option
	Organisers     []checkOption
	Texts          []langText
	Sessions       []sessionEdit
	NewSession     sessionForm
	Errors         []string
	// SessionErrors are the problems of a programme form, shown above
	// the programme.
	SessionErrors []string
}

func opts(l *Localizer, prefix string, values []string, cur string) []option {
	out := make([]option, 0, len(values))
	for _, v := range values {
		out = append(out, option{v, l.T(prefix + v), v == cur})
	}
	return out
}

// eventEditData builds the form's page; clusters are those the viewer may
// organise for, with the event's own organisers kept.
func (s *Server) eventEditData(r *http.Request, title string, f eventForm, clusters []directory.Cluster) eventEditPage {
	l := s.loc(r)
	data := eventEditPage{layout: s.layout(r, title, "events"), F: f}
	data.Kinds = opts(l, "event_kind.", events.Kinds, f.Kind)
	data.EventLanguages = opts(l, "eventform.lang.", events.Languages, f.Language)
	data.Venues = opts(l, "eventform.venue.", []string{events.VenueAddress, events.VenueFacility, events.VenueOnline}, f.VenueKind)
	data.Visibility = opts(l, "eventform.visibility.", events.Visibilities, f.Visibility)
	data.Levels = append([]option{{"", l.T("eventform.no_level"), f.Level == ""}}, opts(l, "event_level.", events.Levels, f.Level)...)
	seen := map[string]bool{}
	for _, c := range clusters {
		seen[c.ID] = true
		data.Organisers = append(data.Organisers, checkOption{c.ID, c.Name, slices.Contains(f.Organisers, c.ID)})
	}
	for _, id := range f.Organisers {
		if c, err := s.dir.GetCluster(system(r.Context()), id); err == nil && !seen[c.ID] {
			data.Organisers = append(data.Organisers, checkOption{c.ID, c.Name, true})
		}
	}
	if page, err := s.dir.ListFacilities(r.Context(), directory.Filter{Limit: 500}); err == nil {
		for _, fc := range page.Items {
			data.Facilities = append(data.Facilities, option{fc.ID, fc.Name, fc.ID == f.FacilityID})
		}
	}
	for _, lang := range events.Languages {
		data.Texts = append(data.Texts, langText{Lang: lang, Name: l.T("eventform.lang." + lang), Text: f.Translations[lang]})
	}
	return data
}

var fieldIndexRE = regexp.MustCompile(`\[(\d+)\]`)

// eventProblemText names the field of a problem as the form labels it
// ("Meeting days, line 2: ...").
func eventProblemText(l *Localizer, pf ProblemField) string {
	idx := -1
	if m := fieldIndexRE.FindStringSubmatch(pf.Field); m != nil {
		idx, _ = strconv.Atoi(m[1])
	}
	name := pf.Field
	for k := fieldIndexRE.ReplaceAllString(pf.Field, ""); k != ""; {
		if _, ok := l.lookup("eventform.field." + k); ok { // the form's own label
			name = l.T("eventform.field." + k)
			break
		}
		if _, ok := l.lookup("field." + k); ok {
			name = l.T("field." + k)
			break
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	if idx >= 0 {
		name += " (" + l.T("eventform.line", "n", idx+1) + ")"
	}
	return name + ": " + validate.Render(l.T(pf.Code), validate.FieldError{Field: pf.Field, Code: pf.Code, Args: pf.Args})
}

// eventProblems turns a refusal of the input into the form's messages;
// ok is false when the error is not about the input.
func (s *Server) eventProblems(r *http.Request, err error) ([]string, int, bool) {
	l := s.loc(r)
	if errors.Is(err, store.ErrStale) {
		return []string{l.T("eventform.changed_meanwhile")}, http.StatusPreconditionFailed, true
	}
	fields, status, ok := s.formProblem(r, err)
	if !ok {
		return nil, 0, false
	}
	out := make([]string, 0, len(fields))
	for _, pf := range fields {
		out = append(out, eventProblemText(l, pf))
	}
	return out, status, true
}

func (s *Server) pageNewEvent(w http.ResponseWriter, r *http.Request) error {
	clusters, err := s.ev.OrganiserClusters(r.Context())
	if err != nil {
		return s.eventErr(r, err)
	}
	day := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	f := eventForm{Kind: events.KindWorkshop, Language: s.loc(r).Lang, VenueKind: events.VenueAddress, TimeZone: "Europe/Brussels",
		Visibility: "alliance", StartsAt: day + "T09:00", EndsAt: day + "T17:00", Organisers: []string{clusters[0].ID}}
	data := s.eventEditData(r, "title.new_event", f, clusters)
	data.New, data.Action = true, "/events/new"
	return s.render(w, http.StatusOK, "event_edit", data)
}

func (s *Server) postNewEvent(w http.ResponseWriter, r *http.Request) error {
	clusters, err := s.ev.OrganiserClusters(r.Context())
	if err != nil {
		return s.eventErr(r, err)
	}
	if err := parseCallForm(w, r); err != nil {
		return err
	}
	f := readEventForm(r.PostForm)
	in, errs := f.input()
	var e events.Event
	if err = eventFormErrors(in, errs); err == nil {
		e, err = s.ev.CreateEvent(r.Context(), in)
	}
	if err != nil {
		msgs, status, ok := s.eventProblems(r, s.eventErr(r, err))
		if !ok {
			return s.eventErr(r, err)
		}
		data := s.eventEditData(r, "title.new_event", f, clusters)
		data.New, data.Action, data.Errors = true, "/events/new", msgs
		return s.render(w, status, "event_edit", data)
	}
	http.Redirect(w, r, "/events/"+url.PathEscape(e.Slug)+"/edit", http.StatusSeeOther)
	return nil
}

// editableEvent loads the event of the path for its organisers.
func (s *Server) editableEvent(r *http.Request) (events.Event, []directory.Cluster, error) {
	e, err := s.ev.GetEvent(r.Context(), r.PathValue("slug"))
	if err != nil {
		return e, nil, err
	}
	if !s.ev.CanManage(r.Context(), e) {
		return e, nil, s.eventErr(r, store.ErrForbidden)
	}
	clusters, err := s.ev.OrganiserClusters(r.Context())
	if err != nil {
		return e, nil, s.eventErr(r, err)
	}
	return e, clusters, nil
}

// editPage is the edit form of e with its programme.
func (s *Server) editPage(r *http.Request, e events.Event, f eventForm, clusters []directory.Cluster) eventEditPage {
	data := s.eventEditData(r, e.TextIn(s.loc(r).Lang).Title, f, clusters)
	data.Event, data.Action = e, "/events/"+url.PathEscape(e.Slug)+"/edit"
	data.Sessions = sessionEdits(e)
	data.NewSession = sessionForm{StartsAt: f.StartsAt, EndsAt: f.StartsAt}
	return data
}

func (s *Server) pageEditEvent(w http.ResponseWriter, r *http.Request) error {
	e, clusters, err := s.editableEvent(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "event_edit", s.editPage(r, e, formOfEvent(e), clusters))
}

func (s *Server) postEditEvent(w http.ResponseWriter, r *http.Request) error {
	e, clusters, err := s.editableEvent(r)
	if err != nil {
		return err
	}
	if err := parseCallForm(w, r); err != nil {
		return err
	}
	f := readEventForm(r.PostForm)
	f.Slug = e.Slug
	in, errs := f.input()
	var saved events.Event
	if err = eventFormErrors(in, errs); err == nil {
		saved, err = s.ev.UpdateEvent(r.Context(), e.ID, in, formVersion(r))
	}
	if err != nil {
		msgs, status, ok := s.eventProblems(r, s.eventErr(r, err))
		if !ok {
			return s.eventErr(r, err)
		}
		if status == http.StatusPreconditionFailed {
			f = formOfEvent(e) // the event as it is now, to start again from
		}
		data := s.editPage(r, e, f, clusters)
		data.Errors = msgs
		return s.render(w, status, "event_edit", data)
	}
	http.Redirect(w, r, "/events/"+url.PathEscape(saved.Slug), http.StatusSeeOther)
	return nil
}
