package practices

import (
	"fmt"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/validate"
)

// Message keys of the library's rules.
const (
	SummaryTooWide    = "error.practice.summary_too_wide"
	SummaryNotNeeded  = "error.practice.summary_not_needed"
	LangPresent       = "error.practice.lang_present"
	OneOriginal       = "error.practice.one_original"
	NotYourOrg        = "error.practice.organisation"
	TLPWiderThanLevel = "error.practice.tlp_public"
)

// EntryInput is an entry as given by a client. Visibility and TLP left
// out keep their values on update (and default to organisation and AMBER
// on create: a new entry starts narrow).
type EntryInput struct {
	Kind              string   `json:"kind"`
	OrganisationID    string   `json:"organisation_id"`
	Axis              string   `json:"axis"`
	Visibility        *string  `json:"visibility,omitempty"`
	TLP               *string  `json:"tlp,omitempty"`
	Capabilities      []string `json:"capabilities"`
	Authors           []string `json:"authors"`
	RelatedProjects   []string `json:"related_projects"`
	RelatedFacilities []string `json:"related_facilities"`
	RelatedEvents     []string `json:"related_events"`
	Texts             []Text   `json:"texts"`
}

// SummaryInput is a shareable summary as given.
type SummaryInput struct {
	TLP        string `json:"tlp"`
	Visibility string `json:"visibility"`
	Lang       string `json:"lang"`
	Title      string `json:"title"`
	Abstract   string `json:"abstract"`
	ContactID  string `json:"contact_id"`
}

// validateText checks one language version; prefix names its field.
func validateText(errs *validate.Errors, prefix string, t *Text) {
	t.Title = strings.TrimSpace(t.Title)
	errs.Choice(prefix+"lang", t.Lang, true, Langs...)
	errs.Text(prefix+"title", t.Title, true, 200)
	errs.Text(prefix+"summary", t.Summary, false, 2000)
	errs.Text(prefix+"body", t.Body, false, 200000)
}

// validateTexts checks the language versions of an entry: at least one,
// each language once, exactly one original (the first when none is
// marked).
func validateTexts(errs *validate.Errors, texts []Text) {
	if len(texts) == 0 {
		errs.Add("texts", validate.Required)
		return
	}
	seen := map[string]bool{}
	originals := 0
	for i := range texts {
		p := fmt.Sprintf("texts[%d].", i)
		validateText(errs, p, &texts[i])
		if seen[texts[i].Lang] {
			errs.Add(p+"lang", LangPresent, "lang", texts[i].Lang)
		}
		seen[texts[i].Lang] = true
		if texts[i].Original {
			originals++
		}
	}
	switch {
	case originals == 0:
		texts[0].Original = true
	case originals > 1:
		errs.Add("texts", OneOriginal)
	}
}

// validateEntry checks the fields that need no database.
func validateEntry(e *Entry) validate.Errors {
	var errs validate.Errors
	errs.Choice("kind", e.Kind, true, Kinds...)
	errs.Choice("axis", e.Axis, true, Axes...)
	errs.Choice("visibility", e.Visibility, true, access.Levels...)
	errs.Choice("tlp", e.TLP, true, access.TLPs...)
	validateTexts(&errs, e.Texts)
	for name, list := range map[string][]string{"related_projects": e.RelatedProjects, "related_facilities": e.RelatedFacilities, "related_events": e.RelatedEvents, "capabilities": e.Capabilities, "authors": e.Authors2()} {
		if len(list) > 50 {
			errs.Add(name, validate.TooLong, "max", 50)
		}
		for i, v := range list {
			errs.Text(fmt.Sprintf("%s[%d]", name, i), v, true, 80)
			if strings.Contains(v, ",") {
				errs.Add(fmt.Sprintf("%s[%d]", name, i), validate.InvalidFormat)
			}
		}
	}
	return errs
}

// Authors2 returns the author ids.
func (e Entry) Authors2() []string {
	out := make([]string, len(e.Authors))
	for i, a := range e.Authors {
		out[i] = a.ID
	}
	return out
}

// restricted reports whether an entry's label calls for a summary.
func restricted(tlp string) bool {
	return tlp == access.TLPAmber || tlp == access.TLPAmberStrict || tlp == access.TLPRed
}

// summaryCap is the widest label a summary of an entry with label tlp may
// carry: an AMBER entry's summary may be CLEAR (public), a RED or
// AMBER+STRICT one's only GREEN (the alliance): what stays inside the
// organisation is never announced to the public.
func summaryCap(tlp string) string {
	if tlp == access.TLPAmber {
		return access.TLPClear
	}
	return access.TLPGreen
}

// validateSummary checks a summary of entry e.
func validateSummary(e Entry, in *SummaryInput) validate.Errors {
	var errs validate.Errors
	if !restricted(e.TLP) {
		errs.Add("entry", SummaryNotNeeded, "tlp", e.TLP)
		return errs
	}
	errs.Choice("tlp", in.TLP, true, access.TLPClear, access.TLPGreen)
	if in.Visibility == "" {
		in.Visibility = access.Alliance
		if in.TLP == access.TLPClear {
			in.Visibility = access.Public
		}
	}
	errs.Choice("visibility", in.Visibility, true, access.Alliance, access.Public)
	if in.TLP != "" && slices.Index(access.TLPs, in.TLP) < slices.Index(access.TLPs, summaryCap(e.TLP)) {
		errs.Add("tlp", SummaryTooWide, "tlp", e.TLP, "max", summaryCap(e.TLP))
	}
	if in.Visibility == access.Public && in.TLP == access.TLPGreen {
		errs.Add("visibility", TLPWiderThanLevel)
	}
	if in.Lang == "" {
		in.Lang = e.Original().Lang
	}
	errs.Choice("lang", in.Lang, true, Langs...)
	errs.Text("title", in.Title, true, 200)
	errs.Text("abstract", in.Abstract, true, 2000)
	return errs
}
