package calls

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/escnet/escnet/internal/country"
)

// associatedJSON lists the Horizon Europe Associated Countries as data,
// with its source and a note on partial or pending associations, so the
// list is updated by editing the file when an agreement changes.
//
//go:embed associated_countries.json
var associatedJSON []byte

// AssociatedCountry is one country associated to Horizon Europe.
type AssociatedCountry struct {
	Code string `json:"code"` // ISO 3166-1 alpha-2 (XK for Kosovo)
	Name string `json:"name"`
	Note string `json:"note,omitempty"`
}

type associatedList struct {
	Source    string              `json:"source"`
	Countries []AssociatedCountry `json:"countries"`
}

func parseAssociated(data []byte) (associatedList, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var l associatedList
	if err := dec.Decode(&l); err != nil {
		return l, fmt.Errorf("calls: decode associated countries: %w", err)
	}
	if dec.More() {
		return l, errors.New("calls: decode associated countries: trailing data")
	}
	for _, c := range l.Countries {
		if n, ok := country.Normalize(c.Code); !ok || n != c.Code {
			return l, fmt.Errorf("calls: associated country %q is not a country code", c.Code)
		}
		if slices.Contains(country.EU, c.Code) {
			return l, fmt.Errorf("calls: associated country %q is a Member State", c.Code)
		}
	}
	return l, nil
}

// associated is parsed once at start: the file is part of the binary and
// a test decodes it, so a broken file cannot reach a running server.
var associated = func() associatedList {
	l, err := parseAssociated(associatedJSON)
	if err != nil {
		panic(err)
	}
	return l
}()

// MemberStates returns the EU Member States (ISO codes).
func MemberStates() []string { return slices.Clone(country.EU) }

// AssociatedCountries returns the Horizon Europe Associated Countries.
func AssociatedCountries() []AssociatedCountry { return slices.Clone(associated.Countries) }

// AssociatedSource says where the list of Associated Countries comes from.
func AssociatedSource() string { return associated.Source }

// IsMemberState reports whether code (ISO, or the EU's EL/UK) is an EU
// Member State.
func IsMemberState(code string) bool {
	c, ok := country.Normalize(code)
	return ok && slices.Contains(country.EU, c)
}

// IsAssociated reports whether code is a Horizon Europe Associated
// Country.
func IsAssociated(code string) bool {
	c, ok := country.Normalize(code)
	if !ok {
		return false
	}
	return slices.ContainsFunc(associated.Countries, func(a AssociatedCountry) bool { return a.Code == c })
}

// InScope reports whether a country lies in a rule's country scope; any
// country, even an unknown one, lies in ScopeAny.
func InScope(code, scope string) bool {
	switch scope {
	case ScopeMember:
		return IsMemberState(code)
	case ScopeMemberOrAssociated:
		return IsMemberState(code) || IsAssociated(code)
	}
	return true
}
