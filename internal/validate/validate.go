// Package validate collects field errors for input that the UI and the API
// share. Each error carries a message key (translated at the edge), never a
// finished sentence, so the same rule reads right in every language.
package validate

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// FieldError is one problem with one field of the input.
type FieldError struct {
	Field string         `json:"field"`
	Code  string         `json:"code"`
	Args  map[string]any `json:"args,omitempty"`
}

// Errors is a list of field errors; the zero value is no error.
type Errors []FieldError

// Error joins the problems in English-like form for logs and CLI output.
func (e Errors) Error() string {
	parts := make([]string, len(e))
	for i, fe := range e {
		parts[i] = fe.Field + ": " + Message(fe)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records a problem with field.
func (e *Errors) Add(field, code string, args ...any) {
	fe := FieldError{Field: field, Code: code}
	if len(args) > 0 {
		fe.Args = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			fe.Args[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	*e = append(*e, fe)
}

// Err returns e as an error, or nil when there is no problem.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// Message keys used by the rules in this project.
const (
	Required       = "error.required"
	TooLong        = "error.too_long"
	InvalidFormat  = "error.invalid_format"
	InvalidChoice  = "error.invalid_choice"
	InvalidCountry = "error.invalid_country"
	InvalidURL     = "error.invalid_url"
	InvalidEmail   = "error.invalid_email"
	InvalidDate    = "error.invalid_date"
	Duplicate      = "error.duplicate"
	NotFound       = "error.reference_not_found"
	InUse          = "error.in_use"
	UnknownField   = "error.unknown_field"
	WrongType      = "error.wrong_type"
	Malformed      = "error.malformed"
	TooLarge       = "error.too_large"
)

// english holds the default wording of each key; the web layer translates
// keys through its locale files and falls back to these.
var english = map[string]string{
	Required:       "is required",
	TooLong:        "is longer than {max} characters",
	InvalidFormat:  "has an invalid format",
	InvalidChoice:  "must be one of: {choices}",
	InvalidCountry: "is not an ISO 3166-1 alpha-2 country code",
	InvalidURL:     "must be an http or https URL",
	InvalidEmail:   "is not a valid e-mail address",
	InvalidDate:    "must be a date as YYYY-MM-DD",
	Duplicate:      "is already used by another record",
	NotFound:       "refers to a record that does not exist",
	InUse:          "is still in use",
	UnknownField:   "is not a known field",
	WrongType:      "has the wrong type (expected {expected})",
	Malformed:      "is not valid JSON",
	TooLarge:       "is larger than {max} bytes",
}

// Define adds the English wording of message keys that a capability
// package owns and emits (facilities defines error.booking.*, schedule
// error.time.*): each package keeps its keys with its rules. It is meant
// for init functions and panics when a key is defined twice.
func Define(keys map[string]string) {
	for k, v := range keys {
		if _, dup := english[k]; dup {
			panic("validate: message key " + k + " defined twice")
		}
		english[k] = v
	}
}

// Message renders fe in English.
func Message(fe FieldError) string {
	return Render(english[fe.Code], fe)
}

// Render substitutes {name} placeholders in template with fe's arguments.
func Render(template string, fe FieldError) string {
	if template == "" {
		template = fe.Code
	}
	for k, v := range fe.Args {
		template = strings.ReplaceAll(template, "{"+k+"}", fmt.Sprint(v))
	}
	return template
}

// English returns the English wording of every key (for locale tests).
func English() map[string]string {
	out := make(map[string]string, len(english))
	for k, v := range english {
		out[k] = v
	}
	return out
}

// Text checks a free-text field: required or not, and a maximum length in
// characters.
func (e *Errors) Text(field, value string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(value) == "":
		e.Add(field, Required)
	case !utf8.ValidString(value):
		e.Add(field, InvalidFormat)
	case utf8.RuneCountInString(value) > max:
		e.Add(field, TooLong, "max", max)
	}
}

// URL checks an optional web address.
func (e *Errors) URL(field, value string) {
	if value == "" {
		return
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(value) > 500 {
		e.Add(field, InvalidURL)
	}
}

var emailPattern = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)

// Email checks an e-mail address (required when required is set).
func (e *Errors) Email(field, value string, required bool) {
	if value == "" {
		if required {
			e.Add(field, Required)
		}
		return
	}
	if len(value) > 254 || !emailPattern.MatchString(value) {
		e.Add(field, InvalidEmail)
	}
}

// Choice checks that value is one of choices (empty allowed unless required).
func (e *Errors) Choice(field, value string, required bool, choices ...string) {
	if value == "" {
		if required {
			e.Add(field, Required)
		}
		return
	}
	for _, c := range choices {
		if value == c {
			return
		}
	}
	e.Add(field, InvalidChoice, "choices", strings.Join(choices, ", "))
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Slug checks a URL slug: lower-case letters, digits and single dashes.
func (e *Errors) Slug(field, value string) {
	switch {
	case value == "":
		e.Add(field, Required)
	case len(value) > 80:
		e.Add(field, TooLong, "max", 80)
	case !slugPattern.MatchString(value):
		e.Add(field, InvalidFormat)
	}
}
