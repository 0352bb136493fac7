// Package csvexport is the one CSV writer every export uses. It
// neutralises cells that a spreadsheet would read as a formula (CSV
// injection): a cell starting with =, +, -, @, a tab or a carriage return
// is written with a leading apostrophe, unless it is a plain number.
package csvexport

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
)

// Writer writes neutralised rows. Errors are sticky: check Flush.
type Writer struct {
	cw  *csv.Writer
	row []string
}

// New returns a Writer on w.
func New(w io.Writer) *Writer { return &Writer{cw: csv.NewWriter(w)} }

// ForDownload sets the headers of a CSV attachment named filename and
// returns a Writer on the response.
func ForDownload(w http.ResponseWriter, filename string) *Writer {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	return New(w)
}

// Write writes one row, neutralising each cell.
func (w *Writer) Write(cells ...string) error {
	w.row = w.row[:0]
	for _, c := range cells {
		w.row = append(w.row, Neutralise(c))
	}
	return w.cw.Write(w.row)
}

// Flush writes buffered rows and returns the first error met.
func (w *Writer) Flush() error {
	w.cw.Flush()
	return w.cw.Error()
}

// Neutralise returns cell as a spreadsheet will show it without running
// it: cells that start with a formula character get a leading apostrophe.
// Plain numbers ("-3", "+4.5") are left as they are: they cannot hold a
// formula and stay numbers for whoever sums the column.
func Neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if cell[0] == '-' || cell[0] == '+' {
			if _, err := strconv.ParseFloat(cell, 64); err == nil && isPlainNumber(cell) {
				return cell
			}
		}
		return "'" + cell
	}
	return cell
}

// isPlainNumber reports whether s is a sign, digits and at most one point,
// so that "+1e3" or "-Inf", which ParseFloat accepts, are still escaped.
func isPlainNumber(s string) bool {
	dot := false
	for i, r := range s[1:] {
		switch {
		case r >= '0' && r <= '9':
		case r == '.' && !dot && i > 0:
			dot = true
		default:
			return false
		}
	}
	return len(s) > 1
}
