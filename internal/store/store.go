// Package store holds what every storage engine shares: the sentinel errors
// that capability packages and the HTTP layer understand, and the parsing of
// data source names. Engines live in sub-packages; store/engine picks one.
package store

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Engines wrap them with %w so callers test with errors.Is.
var (
	// ErrNotFound means the record does not exist (or may not be seen).
	ErrNotFound = errors.New("not found")
	// ErrConflict means a uniqueness or state rule refused the write.
	ErrConflict = errors.New("conflict")
	// ErrUnavailable means the database cannot be reached or opened.
	ErrUnavailable = errors.New("database unavailable")
	// ErrForbidden means the viewer may see the record but not do this to
	// it. A record the viewer may not see is ErrNotFound instead, so that
	// a refusal never tells that a hidden record exists.
	ErrForbidden = errors.New("forbidden")
	// ErrStale means the write named a version of the record that is no
	// longer the current one: someone else changed it meanwhile.
	ErrStale = errors.New("stale version")
)

// ConflictError names the field whose uniqueness (or reference) rule
// refused a write. It unwraps to ErrConflict.
type ConflictError struct {
	Field string // JSON field name, e.g. "pic"
	Code  string // validate message key, e.g. validate.Duplicate
}

func (e *ConflictError) Error() string { return fmt.Sprintf("conflict on %s: %s", e.Field, e.Code) }

// Unwrap lets errors.Is(err, ErrConflict) hold.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// Engine names a storage engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DSN is a parsed data source name.
type DSN struct {
	Engine Engine
	// Path is the SQLite file, or the PostgreSQL connection string.
	Path string
}

// ParseDSN accepts a file path, sqlite:PATH, or a postgres:// or
// postgresql:// URL.
func ParseDSN(s string) (DSN, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return DSN{}, errors.New("empty database name: give a file path, sqlite:PATH or postgres://")
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		return DSN{Engine: Postgres, Path: s}, nil
	case strings.HasPrefix(s, "sqlite:"):
		p := strings.TrimPrefix(s, "sqlite:")
		p = strings.TrimPrefix(p, "//")
		if p == "" {
			return DSN{}, errors.New("sqlite: DSN without a file path")
		}
		return DSN{Engine: SQLite, Path: p}, nil
	case strings.Contains(s, "://"):
		return DSN{}, fmt.Errorf("unsupported database %q: use a file path, sqlite:PATH or postgres://", redact(s))
	default:
		return DSN{Engine: SQLite, Path: s}, nil
	}
}

// Redacted returns the DSN with any password removed, for logs.
func (d DSN) Redacted() string { return redact(d.Path) }

func redact(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	rest := s[i+3:]
	at := strings.Index(rest, "@")
	if at < 0 {
		return s
	}
	user := rest[:at]
	if c := strings.Index(user, ":"); c >= 0 {
		user = user[:c] + ":xxxxx"
	}
	return s[:i+3] + user + rest[at:]
}
