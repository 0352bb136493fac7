package calls

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/validate"
)

func TestMergeImported(t *testing.T) {
	general := GeneralRule("IA")
	parsed := Rule{Kind: KindMinPractitioners, Count: 2, Types: []string{"police"}, CountryScope: ScopeAny, Source: "S1", Origin: OriginTopic}
	other := Rule{Kind: KindMinEntitiesOfType, Count: 1, Types: []string{TypeSME}, CountryScope: ScopeAny, Source: "S2", Origin: OriginTopic}
	corrected := parsed
	corrected.Count, corrected.Origin = 3, OriginManual
	fromSentence := Rule{Kind: KindAllInScope, Types: []string{TypeLegalEntity}, CountryScope: ScopeMember, Source: "S3", Origin: OriginManual}
	added := Rule{Kind: KindMaxPartners, Count: 7, Types: []string{TypeLegalEntity}, CountryScope: ScopeAny, Origin: OriginManual}

	summary := func(c Call) string {
		var parts []string
		for _, r := range c.Rules {
			parts = append(parts, fmt.Sprintf("%s:%s:%d", r.Origin, r.Source, r.Count))
		}
		for _, u := range c.Unparsed {
			parts = append(parts, "?"+u.Sentence)
		}
		return strings.Join(parts, " ")
	}
	imported := Call{ID: "T-1", Title: "New title", Rules: []Rule{general, parsed, other}, Unparsed: []Unparsed{{"S3", ReasonNotUnderstood}, {"S4", ReasonNotChecked}}}
	tests := []struct {
		name   string
		stored []Rule
		want   string
		kept   int
	}{
		{"no person's rules: the import as it is", []Rule{general, parsed}, summary(imported), 0},
		{"a corrected rule replaces the parser's reading of its sentence", []Rule{general, corrected, other},
			"general:" + general.Source + ":3 topic:S2:1 manual:S1:3 ?S3 ?S4", 1},
		{"a rule for a sentence to check takes the sentence off the list", []Rule{general, parsed, fromSentence},
			"general:" + general.Source + ":3 topic:S1:2 topic:S2:1 manual:S3:0 ?S4", 1},
		{"a rule without a sentence is kept as well", []Rule{general, added},
			"general:" + general.Source + ":3 topic:S1:2 topic:S2:1 manual::7 ?S3 ?S4", 1},
	}
	for _, tt := range tests {
		got, kept := MergeImported(imported, Call{ID: "T-1", Title: "Old title", Rules: tt.stored})
		if summary(got) != tt.want || kept != tt.kept || got.Title != "New title" {
			t.Errorf("%s:\ngot  %s (kept %d, title %q)\nwant %s (kept %d)", tt.name, summary(got), kept, got.Title, tt.want, tt.kept)
		}
	}
	if len(imported.Rules) != 3 || len(imported.Unparsed) != 2 {
		t.Errorf("MergeImported changed its input: %s", summary(imported))
	}
}

func TestNormalizeFilter(t *testing.T) {
	tests := []struct {
		in    Filter
		want  Filter
		field string // the field of the error, "" for none
	}{
		{Filter{}, Filter{Limit: 50, Status: StatusCurrent}, ""},
		{Filter{Query: "  drones ", ActionType: "horizon-ria", DeadlineAfter: "2026-11-05", Status: " closed "},
			Filter{Query: "drones", ActionType: "RIA", DeadlineAfter: "2026-11-05", Limit: 50, Status: StatusClosed}, ""},
		{Filter{Status: "expired"}, Filter{}, "status"},
		{Filter{Limit: directory.MaxListLimit + 1}, Filter{}, "limit"},
		{Filter{DeadlineAfter: "5 November"}, Filter{}, "deadline_after"},
		{Filter{ActionType: "R&D"}, Filter{}, "action_type"},
		{Filter{Programme: strings.Repeat("x", 201)}, Filter{}, "programme"},
	}
	for _, tt := range tests {
		got, err := NormalizeFilter(tt.in)
		var verrs validate.Errors
		errors.As(err, &verrs)
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("NormalizeFilter(%+v): %v", tt.in, err)
		case tt.field == "" && got != tt.want:
			t.Errorf("NormalizeFilter(%+v) = %+v, want %+v", tt.in, got, tt.want)
		case tt.field != "" && (len(verrs) != 1 || verrs[0].Field != tt.field):
			t.Errorf("NormalizeFilter(%+v): err %v, want one on %s", tt.in, err, tt.field)
		}
	}
}

// recorder is a Store that records what reaches it.
type recorder struct {
	Store
	upserted []Call
}

func (r *recorder) UpsertCalls(_ context.Context, cs []Call) (Counts, error) {
	r.upserted = cs
	return Counts{New: len(cs)}, nil
}

func TestImportRefusesWholeBatch(t *testing.T) {
	good := Call{ID: "T-1", Title: "One", ActionType: "RIA"}
	tests := []struct {
		name   string
		batch  []Call
		fields []string
	}{
		{"a call without title", []Call{good, {ID: "T-2"}}, []string{"calls[1].title"}},
		{"the same topic twice", []Call{good, good}, []string{"calls[1].id"}},
		{"a rule no consortium can meet", []Call{good, {ID: "T-3", Title: "Three", Rules: []Rule{
			{Kind: KindMinCountries, Count: 2, MinCountries: 5, Types: []string{TypeSME}, CountryScope: ScopeAny, Origin: OriginTopic}}}},
			[]string{"calls[1].rules[0].min_countries"}},
	}
	for _, tt := range tests {
		rec := &recorder{}
		_, err := NewService(rec).Import(context.Background(), tt.batch)
		var verrs validate.Errors
		if !errors.As(err, &verrs) {
			t.Errorf("%s: err = %v, want field errors", tt.name, err)
			continue
		}
		var got []string
		for _, fe := range verrs {
			got = append(got, fe.Field)
		}
		if strings.Join(got, ",") != strings.Join(tt.fields, ",") || rec.upserted != nil {
			t.Errorf("%s: fields %v (stored %d calls), want %v and nothing stored", tt.name, got, len(rec.upserted), tt.fields)
		}
	}
	rec := &recorder{}
	if n, err := NewService(rec).Import(context.Background(), []Call{good}); err != nil || n.New != 1 || len(rec.upserted) != 1 {
		t.Errorf("a good batch: %+v, %v", n, err)
	}
}
