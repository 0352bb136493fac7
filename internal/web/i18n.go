package web

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/escnet/escnet/internal/country"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/validate"
)

// Interface languages, the first being the fallback.
var uiLanguages = []language.Tag{language.English, language.Dutch, language.French, language.German}

var langMatcher = language.NewMatcher(uiLanguages)

//go:embed locales/*.json
var localeFiles embed.FS

// entry is one message: a plain string, or plural forms ("one", "other",
// ...) chosen by the language's CLDR rules.
type entry struct {
	forms map[string]string
}

func (e *entry) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		e.forms = map[string]string{"other": s}
		return nil
	}
	if err := json.Unmarshal(b, &e.forms); err != nil {
		return err
	}
	if e.forms["other"] == "" {
		return fmt.Errorf("plural message without an \"other\" form")
	}
	return nil
}

// catalog holds every language's messages.
type catalog map[string]map[string]entry

func loadCatalog() (catalog, error) {
	c := catalog{}
	names, err := fs.Glob(localeFiles, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		b, err := fs.ReadFile(localeFiles, name)
		if err != nil {
			return nil, err
		}
		var m map[string]entry
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		// en.json holds the shared messages; en.inquiries.json and the like
		// hold one capability's, so that capabilities keep their own files.
		lang, _, _ := strings.Cut(strings.TrimSuffix(path.Base(name), ".json"), ".")
		if c[lang] == nil {
			c[lang] = map[string]entry{}
		}
		for k, v := range m {
			if _, dup := c[lang][k]; dup {
				return nil, fmt.Errorf("%s: message %q is already defined in another file", name, k)
			}
			c[lang][k] = v
		}
	}
	if c["en"] == nil {
		return nil, fmt.Errorf("locales: no en.json")
	}
	return c, nil
}

// Localizer translates for one request's language. Templates call its
// methods: {{$.L.T "key"}}, {{$.L.N "key" .Count}}, {{$.L.Date .Joined}}.
type Localizer struct {
	Lang    string
	tag     language.Tag
	msgs    map[string]entry
	english map[string]entry
	printer *message.Printer
}

func (c catalog) localizer(lang string) *Localizer {
	tag := language.Make(lang)
	return &Localizer{Lang: lang, tag: tag, msgs: c[lang], english: c["en"], printer: message.NewPrinter(tag)}
}

func (l *Localizer) lookup(key string) (entry, bool) {
	if e, ok := l.msgs[key]; ok {
		return e, true
	}
	e, ok := l.english[key]
	return e, ok
}

// T returns the message for key with {name} placeholders filled from
// name/value pairs. A missing key shows as the key itself (and a test
// makes sure none is missing).
func (l *Localizer) T(key string, args ...any) string {
	e, ok := l.lookup(key)
	if !ok {
		return key
	}
	return l.fill(e.forms["other"], args)
}

// TOr returns the message for key, or fallback with its underscores made
// spaces when the catalogue has none: for labels of open-ended codes, so
// that a page never shows a snake_case code.
func (l *Localizer) TOr(key, fallback string) string {
	if _, ok := l.lookup(key); !ok {
		return strings.ReplaceAll(fallback, "_", " ")
	}
	return l.T(key)
}

// N returns the plural form of key for n, with {n} and other placeholders
// filled.
func (l *Localizer) N(key string, n int, args ...any) string {
	e, ok := l.lookup(key)
	if !ok {
		return key
	}
	form := "other"
	switch plural.Cardinal.MatchPlural(l.tag, abs(n), 0, 0, 0, 0) {
	case plural.Zero:
		form = "zero"
	case plural.One:
		form = "one"
	case plural.Two:
		form = "two"
	case plural.Few:
		form = "few"
	case plural.Many:
		form = "many"
	}
	s, ok := e.forms[form]
	if !ok {
		s = e.forms["other"]
	}
	return l.fill(s, append([]any{"n", l.Num(n)}, args...))
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func (l *Localizer) fill(s string, args []any) string {
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return s
}

// Num formats a number with the language's digit grouping.
func (l *Localizer) Num(n any) string { return l.printer.Sprint(n) }

// Decimal formats a number (or a pointer to one) with one decimal and the
// language's separators: 134.6 in English, 134,6 in Dutch, French and
// German. A nil pointer is empty.
func (l *Localizer) Decimal(v any) string {
	var f float64
	switch d := v.(type) {
	case float64:
		f = d
	case *float64:
		if d == nil {
			return ""
		}
		f = *d
	case int:
		f = float64(d)
	default:
		return ""
	}
	return l.printer.Sprint(number.Decimal(f, number.MinFractionDigits(1), number.MaxFractionDigits(1)))
}

// Date formats a YYYY-MM-DD date or a time in the language's long form.
func (l *Localizer) Date(v any) string {
	var t time.Time
	switch d := v.(type) {
	case time.Time:
		t = d
	case *time.Time:
		if d == nil {
			return ""
		}
		t = *d
	case string:
		if d == "" {
			return ""
		}
		var err error
		if t, err = time.Parse(time.DateOnly, d); err != nil {
			return d
		}
	default:
		return fmt.Sprint(v)
	}
	month := l.T("month." + strconv.Itoa(int(t.Month())))
	switch l.Lang {
	case "de":
		return fmt.Sprintf("%d. %s %d", t.Day(), month, t.Year())
	case "en":
		return fmt.Sprintf("%d %s %d", t.Day(), month, t.Year())
	default:
		return fmt.Sprintf("%d %s %d", t.Day(), month, t.Year())
	}
}

// DateTime formats a time (UTC) with hours and minutes.
func (l *Localizer) DateTime(v any) string {
	var t time.Time
	switch d := v.(type) {
	case time.Time:
		t = d
	case *time.Time:
		if d == nil {
			return ""
		}
		t = *d
	default:
		return fmt.Sprint(v)
	}
	return l.Date(t) + " " + t.UTC().Format("15:04") + " UTC"
}

// LocalTime formats a time in zone (IANA) with hours and minutes, the
// zone being said once on the page; an unknown zone shows UTC.
func (l *Localizer) LocalTime(v any, zone string) string {
	t, ok := v.(time.Time)
	if !ok {
		return ""
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return l.DateTime(t)
	}
	t = t.In(loc)
	return l.Date(t) + " " + t.Format("15:04")
}

// LocalRange formats [s, e) in zone, naming the day once when both fall
// on the same local day: "8 December 2026 10:00–12:00".
func (l *Localizer) LocalRange(s, e time.Time, zone string) string {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return l.DateTime(s) + " – " + l.DateTime(e)
	}
	ls, le := s.In(loc), e.In(loc)
	if ls.Format(time.DateOnly) == le.Format(time.DateOnly) {
		return l.Date(ls) + " " + ls.Format("15:04") + "–" + le.Format("15:04")
	}
	return l.LocalTime(s, zone) + " – " + l.LocalTime(e, zone)
}

// Hours writes a duration given in minutes in days or hours, never in
// minutes: "2 days", "36 hours", "1.5 hours".
func (l *Localizer) Hours(minutes int) string {
	if minutes >= 24*60 && minutes%(24*60) == 0 {
		return l.N("facui.n_days", minutes/(24*60))
	}
	if minutes%60 == 0 {
		return l.N("facui.n_hours", minutes/60)
	}
	return l.T("facui.hours_decimal", "n", l.Decimal(float64(minutes)/60))
}

// Country names a country in the interface language.
func (l *Localizer) Country(code string) string { return country.Name(code, l.Lang) }

// Field renders a field error in the interface language; a field without
// a translated name shows as it is called in the API.
func (l *Localizer) Field(f ProblemField) string {
	fe := validate.FieldError{Field: f.Field, Code: f.Code, Args: f.Args}
	msg := validate.Render(l.T(f.Code), fe)
	name := f.Field
	if _, ok := l.lookup("field." + f.Field); ok {
		name = l.T("field." + f.Field)
	} else if _, ok := l.lookup("field." + fieldBase(f.Field)); ok {
		name = l.T("field." + fieldBase(f.Field))
	}
	return name + ": " + msg
}

// fieldBase strips indexes and sub-fields ("memberships[0].cluster_id" →
// "memberships") so field names have a translation.
func fieldBase(f string) string {
	if i := strings.IndexAny(f, "[."); i >= 0 {
		return f[:i]
	}
	return f
}

// langCookie remembers the chosen language.
const langCookie = "escnet_lang"

// requestLanguage picks the interface language: the remembered choice,
// else the browser's Accept-Language, else English.
func requestLanguage(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil {
		for _, t := range uiLanguages {
			if c.Value == t.String() {
				return c.Value
			}
		}
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, conf := langMatcher.Match(tags...)
	if conf == language.No {
		return "en"
	}
	return uiLanguages[i].String()
}

// handleLanguage remembers a language choice and returns to the page.
func (s *Server) handleLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	ok := false
	for _, t := range uiLanguages {
		ok = ok || t.String() == lang
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	next := r.URL.Query().Get("next")
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

type langKey struct{}

// withLang puts the request's interface language into the context, for
// messages written outside templates (e-mails).
func withLang(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey{}, lang)
}

func langFrom(ctx context.Context) string {
	if l, ok := ctx.Value(langKey{}).(string); ok {
		return l
	}
	return "en"
}

// statusCodes are the statuses an error page may show; each has a title
// and an explanation in every language.
var statusCodes = []int{400, 401, 403, 404, 409, 410, 413, 415, 422, 429, 500, 503}

// extraErrorCodes are message keys of errors beyond validate's own.
var extraErrorCodes = []string{"error.password_too_short", "error.account_exists", "error.confirm_email",
	projects.AlreadyMerged, projects.AlreadyUndone, "error.stale", projects.AlreadyClaimed, projects.NotOutsider}

// translatedFields are the input fields whose names error messages show.
var translatedFields = []string{"body", "slug", "name", "short_name", "kind", "sme", "practitioner_roles", "country", "region", "city",
	"website", "pic", "vat", "description", "capabilities", "memberships", "themes", "joined", "commitment", "email", "title",
	"expertise", "languages", "organisation_id", "cluster_id", "visibility", "tlp", "q", "limit", "cursor", "role", "cluster",
	"capability", "password", "confirm", "scope",
	// Facilities and bookings.
	"address", "latitude", "longitude", "time_zone", "capacity", "uses", "certifications",
	"restrictions", "access_conditions", "price_model", "price_cents", "price_unit", "resource_id", "starts_at", "ends_at", "purpose",
	"participants", "reason", "status", "action", "approval", "min_minutes", "max_minutes", "lead_minutes", "buffer_minutes",
	"opening_hours", "quotas", "approvers", "from", "to", "duration", "days", "near", "lat", "lon", "within_km", "target_id", "month",
	// Directory: edit forms and requests to join a cluster.
	"version", "note",
	// Linking organisations to their EU records.
	"record", "membership"}
