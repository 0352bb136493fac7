package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/validate"
)

// maxForm bounds form bodies.
const maxForm = 64 << 10

// parseForm reads a URL-encoded form of at most maxForm bytes.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return errBadRequest("The form could not be read.", validate.Errors{{Field: "body", Code: validate.Malformed}})
	}
	return nil
}

// fieldErrors returns the field problems of a validation error, for a
// form to show beside its fields.
func fieldErrors(err error) ([]ProblemField, bool) {
	var ve validate.Errors
	if errors.As(err, &ve) {
		return fieldsOf(ve), true
	}
	return nil, false
}

// maxBody is the largest request body the API reads.
const maxBody = 1 << 20

// decodeJSON reads one JSON object into v, refusing unknown fields, wrong
// types, trailing data and bodies over maxBody, with errors that name the
// field.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &httpError{status: http.StatusUnsupportedMediaType, title: "Unsupported media type",
			detail: "Send the body as application/json."}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			return errBadRequest("The body holds more than one JSON value.", validate.Errors{{Field: "body", Code: validate.Malformed}})
		}
		if _, terr := dec.Token(); terr != io.EOF {
			return errBadRequest("The body holds data after the JSON object.", validate.Errors{{Field: "body", Code: validate.Malformed}})
		}
		if field := nulString(reflect.ValueOf(v), ""); field != "" {
			return errNUL(field)
		}
		return nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &httpError{status: http.StatusRequestEntityTooLarge, title: "Request too large",
			detail: fmt.Sprintf("The body is larger than %d bytes.", maxBody),
			fields: validate.Errors{{Field: "body", Code: validate.TooLarge, Args: map[string]any{"max": maxBody}}}}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return errBadRequest(fmt.Sprintf("Field %q has the wrong type.", field),
			validate.Errors{{Field: field, Code: validate.WrongType, Args: map[string]any{"expected": jsonType(typ.Type.Kind().String())}}})
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errBadRequest("The body is not valid JSON.", validate.Errors{{Field: "body", Code: validate.Malformed}})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errBadRequest(fmt.Sprintf("Field %q is not known.", name), validate.Errors{{Field: name, Code: validate.UnknownField}})
	}
	return errBadRequest("The body could not be read.", validate.Errors{{Field: "body", Code: validate.Malformed}})
}

// nulString returns the JSON path of the first string in v that holds a
// NUL character ("" when none does): PostgreSQL refuses to store one and
// SQLite would store it, so no text may carry it.
func nulString(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return nulString(v.Elem(), path)
		}
	case reflect.String:
		if strings.ContainsRune(v.String(), 0) {
			if path == "" {
				return "body"
			}
			return path
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if f := nulString(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); f != "" {
				return f
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			key := fmt.Sprint(it.Key().Interface())
			if strings.ContainsRune(key, 0) {
				return joinPath(path, strings.ReplaceAll(key, "\x00", `\0`))
			}
			if f := nulString(it.Value(), joinPath(path, key)); f != "" {
				return f
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			p := path
			if !sf.Anonymous || name != "" {
				if name == "" {
					name = sf.Name
				}
				p = joinPath(path, name)
			}
			if f := nulString(v.Field(i), p); f != "" {
				return f
			}
		}
	}
	return ""
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	}
	return "number"
}

// listFilter reads the list parameters that a resource allows, refusing
// unknown ones so that a typo doesn't silently return everything.
func listFilter(q url.Values, allowed ...string) (directory.Filter, error) {
	limit, errs := checkQuery(q, allowed...)
	f := directory.Filter{
		Query:        q.Get("q"),
		Country:      q.Get("country"),
		Kind:         q.Get("kind"),
		Cluster:      q.Get("cluster"),
		Capability:   q.Get("capability"),
		Role:         q.Get("role"),
		Organisation: q.Get("organisation"),
		Membership:   q.Get("membership"),
		Cursor:       q.Get("cursor"),
		Limit:        limit,
	}
	if len(errs) > 0 {
		return f, errBadRequest("Unknown or malformed query parameters.", errs)
	}
	f, err := directory.NormalizeFilter(f)
	if err != nil {
		var ve validate.Errors
		errors.As(err, &ve)
		return f, errBadRequest("Invalid query parameters.", ve)
	}
	return f, nil
}

// checkQuery refuses query parameters other than allowed (plus limit and
// cursor), so that a typo doesn't silently return everything, and reads
// limit as a number (0 when absent).
func checkQuery(q url.Values, allowed ...string) (limit int, errs validate.Errors) {
	allowed = append(allowed, "limit", "cursor")
	for k := range q {
		if !slices.Contains(allowed, k) {
			errs.Add(k, validate.UnknownField)
		}
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			errs.Add("limit", validate.WrongType, "expected", "integer")
		}
		limit = n
	}
	return limit, errs
}
