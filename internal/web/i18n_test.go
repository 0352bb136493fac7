package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/validate"
)

// usedKeys collects the message keys the code and templates use: literal
// keys in templates ({{$.L.T "key"}}) and Go ("title.x", "message.x", ...),
// plus the families built at run time from the domain's own lists.
func usedKeys(t *testing.T) map[string]bool {
	t.Helper()
	used := map[string]bool{}
	tmplKey := regexp.MustCompile(`\.(?:T|N) "([a-z0-9_.+-]+)"`)
	err := fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFiles, p)
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goKey := regexp.MustCompile(`"((?:title|message|login|link|mail|status|import|map|network|merges)\.[a-z0-9_.]+)"`)
	files, _ := filepath.Glob("*.go")
	files = append(files, "../accounts/service.go", "../facilities/calendar.go")
	for _, f := range files {
		pattern := goKey
		if strings.HasPrefix(f, "../") {
			// Outside the web package only e-mail texts are messages; the
			// rest are audit actions that merely look like keys.
			pattern = regexp.MustCompile(`"(mail\.[a-z0-9_.]+)"`)
		}
		if strings.HasPrefix(f, "../facilities/") {
			// The feed's summaries are rendered with the web's messages.
			pattern = regexp.MustCompile(`"(message\.calendar\.[a-z0-9_.]+)"`)
		}
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range pattern.FindAllStringSubmatch(string(b), -1) {
			if strings.HasSuffix(m[1], ".css") || strings.HasSuffix(m[1], ".js") {
				continue // static file names, not messages
			}
			used[m[1]] = true
		}
	}
	family := func(prefix string, values []string) {
		for _, v := range values {
			used[prefix+v] = true
		}
	}
	family("kind.", directory.Kinds)
	family("role.", directory.Roles)
	family("membership.", directory.MembershipRoles)
	family("membership_request.state.", directory.RequestStates)
	family("nature.", directory.Natures)
	family("facility_kind.", directory.FacilityKinds)
	// Facilities and bookings (facility_pages.go, facilities.go).
	family("restriction.", directory.FacilityRestrictions)
	family("price_model.", directory.FacilityPriceModels)
	family("price_unit.", directory.FacilityPriceUnits)
	family("resource_kind.", facilities.ResourceKinds)
	family("approval.", facilities.Approvals)
	family("blackout_kind.", facilities.BlackoutKinds)
	family("booking_status.", facilities.Statuses)
	family("booking_action.", facilities.Actions)
	family("calendar_kind.", facilities.CalendarKinds)
	family("quota_unit.", []string{facilities.UnitHours, facilities.UnitBookings})
	family("quota_period.", []string{facilities.PeriodWeek, facilities.PeriodMonth})
	family("weekday.", []string{"0", "1", "2", "3", "4", "5", "6"})
	family("level.", access.Levels)
	family("scope.", []string{"read", "read-write"})
	family("userrole.", []string{"anonymous", "member", "organisation_admin", "cluster_manager", "alliance_admin"})
	for m := 1; m <= 12; m++ {
		used["month."+strconv.Itoa(m)] = true
	}
	for _, code := range statusCodes {
		used["title.status."+strconv.Itoa(code)] = true
		used["status."+strconv.Itoa(code)+".detail"] = true
	}
	for code := range validate.English() {
		used[code] = true
	}
	family("", extraErrorCodes)
	family("field.", translatedFields)
	for _, step := range facilities.NoticeSteps {
		family("mail.booking."+step+".", []string{"subject", "body"})
	}
	family("merges.reason.", []string{projects.ReasonVAT, projects.ReasonNameCity, projects.ReasonNameWebsite, projects.ReasonEvidence})
	for prefix, values := range linkingKeyFamilies() { // linking_pages.go
		family(prefix, values)
	}
	for prefix, values := range callKeyFamilies() { // calls_pages.go
		family(prefix, values)
	}
	for prefix, values := range matchKeyFamilies() { // matching_pages.go
		family(prefix, values)
	}
	for prefix, values := range practiceKeyFamilies() { // practices_pages.go
		family(prefix, values)
	}
	for prefix, values := range eventKeyFamilies() { // events_pages.go
		family(prefix, values)
	}
	for prefix, values := range inquiryKeyFamilies() { // inquiries_pages.go
		family(prefix, values)
	}
	for prefix, values := range facilitiesUIKeyFamilies() { // facilities_week.go
		family(prefix, values)
	}
	for prefix, values := range governanceKeyFamilies() { // governance_pages.go
		family(prefix, values)
	}
	for prefix, values := range callsxKeyFamilies() { // callsx_text.go
		family(prefix, values)
	}
	for prefix, values := range postingKeyFamilies() { // postings_pages.go
		family(prefix, values)
	}
	for prefix, values := range portalKeyFamilies() { // audit_words.go
		family(prefix, values)
	}
	// Prefix-only matches from Go ("title.status." + code) are not keys.
	for k := range used {
		if strings.HasSuffix(k, ".") {
			delete(used, k)
		}
	}
	return used
}

// TestLocalesComplete fails when a key is missing in a language or is no
// longer used anywhere.
func TestLocalesComplete(t *testing.T) {
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	used := usedKeys(t)
	for _, lang := range []string{"en", "nl", "fr", "de"} {
		msgs, ok := cat[lang]
		if !ok {
			t.Fatalf("no locale file for %s", lang)
		}
		var missing, unused []string
		for k := range used {
			if _, ok := msgs[k]; !ok {
				missing = append(missing, k)
			}
		}
		for k := range msgs {
			if !used[k] {
				unused = append(unused, k)
			}
		}
		sort.Strings(missing)
		sort.Strings(unused)
		if len(missing) > 0 {
			t.Errorf("%s: %d keys missing: %v", lang, len(missing), missing)
		}
		if len(unused) > 0 {
			t.Errorf("%s: %d keys no longer used: %v", lang, len(unused), unused)
		}
	}
}

// TestLocalesTranslated catches copies of English left in another
// language (long sentences only: short words like "Cluster" or "API" are
// legitimately the same).
func TestLocalesTranslated(t *testing.T) {
	cat, _ := loadCatalog()
	for _, lang := range []string{"nl", "fr", "de"} {
		for k, e := range cat[lang] {
			en := cat["en"][k].forms["other"]
			if len(en) > 30 && e.forms["other"] == en {
				t.Errorf("%s: %q is the English text", lang, k)
			}
			for form := range e.forms {
				if !slices.Contains([]string{"zero", "one", "two", "few", "many", "other"}, form) {
					t.Errorf("%s: %q has unknown plural form %q", lang, k, form)
				}
			}
		}
	}
}

func TestLocalizer(t *testing.T) {
	cat, _ := loadCatalog()
	tests := []struct {
		lang string
		got  func(l *Localizer) string
		want string
	}{
		{"en", func(l *Localizer) string { return l.N("count.organisations", 1) }, "1 organisation"},
		{"en", func(l *Localizer) string { return l.N("count.organisations", 12345) }, "12,345 organisations"},
		{"nl", func(l *Localizer) string { return l.N("count.organisations", 12345) }, "12.345 organisaties"},
		{"fr", func(l *Localizer) string { return l.N("count.organisations", 0) }, "0 organisation"},
		{"fr", func(l *Localizer) string { return l.N("count.organisations", 2) }, "2 organisations"},
		{"de", func(l *Localizer) string { return l.N("count.members", 1) }, "1 Mitglied"},
		{"de", func(l *Localizer) string { return l.Date("2016-06-02") }, "2. Juni 2016"},
		{"fr", func(l *Localizer) string { return l.Date("2016-06-02") }, "2 juin 2016"},
		{"nl", func(l *Localizer) string { return l.Country("DE") }, "Duitsland"},
		{"en", func(l *Localizer) string { return l.T("title.invite", "name", "TNO") }, "Invite someone to TNO"},
		{"de", func(l *Localizer) string {
			return l.Field(ProblemField{Field: "name", Code: validate.TooLong, Args: map[string]any{"max": 200}})
		}, "Name: ist länger als 200 Zeichen"},
		{"en", func(l *Localizer) string { return l.T("no.such.key") }, "no.such.key"},
	}
	for _, tt := range tests {
		if got := tt.got(cat.localizer(tt.lang)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.lang, got, tt.want)
		}
	}
}
