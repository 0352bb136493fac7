package directory

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
)

// taxonomyJSON is the seed taxonomy; the order of its entries is the
// display order, so Position comes from it rather than from a field.
//
//go:embed taxonomy.json
var taxonomyJSON []byte

// Taxonomy returns the embedded capability taxonomy in display order.
// Each call decodes afresh so callers may modify the result, labels
// included, without affecting one another.
func Taxonomy() ([]Capability, error) {
	return parseTaxonomy(taxonomyJSON)
}

func parseTaxonomy(data []byte) ([]Capability, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	// A misspelt key would otherwise silently drop a label or parent.
	dec.DisallowUnknownFields()
	var caps []Capability
	if err := dec.Decode(&caps); err != nil {
		return nil, fmt.Errorf("directory: decode taxonomy: %w", err)
	}
	if dec.More() {
		return nil, errors.New("directory: decode taxonomy: trailing data after array")
	}
	for i := range caps {
		caps[i].Position = i
	}
	return caps, nil
}

// maxCapabilityCodeLen bounds codes so they stay usable in URLs and keys.
const maxCapabilityCodeLen = 120

// capabilityCodeRE admits lower-case, dash-separated words with a dot
// between levels, so a code's ancestors are its dot-prefixes.
var capabilityCodeRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$`)

// ValidCapabilityCode reports whether code is well-formed.
func ValidCapabilityCode(code string) bool {
	return len(code) <= maxCapabilityCodeLen && capabilityCodeRE.MatchString(code)
}
