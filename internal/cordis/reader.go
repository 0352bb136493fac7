package cordis

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/escnet/escnet/internal/country"
	"github.com/escnet/escnet/internal/directory"
)

// spec describes a layout: the columns that identify it and the columns a
// file of that layout must have.
type spec struct {
	layout    Layout
	signature []string
	required  []string
}

var specs = []spec{
	{LegacyProjects,
		[]string{"rcn", "id", "acronym", "programme", "frameworkProgramme", "title", "ecMaxContribution", "fundingScheme"},
		[]string{"id", "acronym", "status", "programme", "topics", "frameworkProgramme", "title", "startDate", "endDate",
			"objective", "totalCost", "ecMaxContribution", "call", "fundingScheme"}},
	{LegacyOrganisations,
		[]string{"projectRcn", "projectID", "role", "id", "name", "activityType", "ecContribution"},
		[]string{"projectID", "role", "id", "name", "activityType", "ecContribution", "country"}},
	{Projects,
		[]string{"id", "acronym", "title", "legalBasis", "masterCall", "ecSignatureDate", "frameworkProgramme"},
		[]string{"id", "acronym", "status", "title", "startDate", "endDate", "totalCost", "ecMaxContribution", "legalBasis",
			"topics", "frameworkProgramme", "fundingScheme", "objective"}},
	{Organisations,
		[]string{"projectID", "organisationID", "name", "SME", "activityType", "role"},
		[]string{"projectID", "organisationID", "name", "activityType", "country", "role", "ecContribution"}},
	{Topics,
		[]string{"code", "title", "callName"},
		[]string{"code", "title"}},
}

// maxField is the longest field the reader accepts; CORDIS objectives
// stay well below it.
const maxField = 100_000

// Reader reads one CORDIS file record by record.
type Reader struct {
	name     string
	cr       *csv.Reader
	layout   Layout
	cols     map[string]int // lower-cased column name → index
	names    []string       // column names as written in the header
	width    int            // number of header columns
	minWidth int            // fields a row needs to reach its last required column
	line     int
}

// NewReader reads the header of a CORDIS file and recognises its layout.
// name is used in errors. A file that is not a CORDIS export of a known
// layout gives a *RowError naming the problem.
func NewReader(name string, r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if err := sniff(name, br); err != nil {
		return nil, err
	}
	cr := csv.NewReader(br)
	cr.Comma = ';'
	cr.LazyQuotes = false
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // CORDIS drops trailing empty fields; checked per row
	header, err := cr.Read()
	var pe *csv.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return nil, &RowError{File: name, Problem: "empty file: no header"}
	case errors.As(err, &pe):
		return nil, &RowError{File: name, Line: pe.StartLine, Problem: "header: " + quoteProblem(pe)}
	case err != nil:
		return nil, err
	}
	rd := &Reader{name: name, cr: cr, line: 1}
	if err := rd.readHeader(slices.Clone(header)); err != nil {
		return nil, err
	}
	return rd, nil
}

// sniff refuses files that are plainly not CSV text, and skips a UTF-8
// byte-order mark.
func sniff(name string, br *bufio.Reader) error {
	head, _ := br.Peek(4096)
	fail := func(problem string) error { return &RowError{File: name, Problem: problem} }
	switch {
	case len(head) == 0:
		return fail("empty file: no header")
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return fail("a ZIP archive (an .xlsx workbook?), not a CSV file: export the sheet as CSV with ';'")
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return fail("a gzip-compressed file, not a CSV file: decompress it first")
	case bytes.HasPrefix(head, []byte("%PDF")):
		return fail("a PDF document, not a CSV file")
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}), bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return fail("UTF-16 text: export the file as UTF-8")
	case bytes.IndexByte(head, 0) >= 0:
		return fail("binary data, not a CSV text file")
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
	}
	return nil
}

func (r *Reader) readHeader(header []string) error {
	fail := func(problem string) error { return &RowError{File: r.name, Line: 1, Problem: problem} }
	r.cols = map[string]int{}
	for i, h := range header {
		if !utf8.ValidString(h) {
			return fail("header is not valid UTF-8: export the file as UTF-8")
		}
		h = strings.TrimSpace(h)
		header[i] = h
		key := strings.ToLower(h)
		if _, dup := r.cols[key]; dup && h != "" {
			return fail(fmt.Sprintf("header names column %q twice", h))
		}
		r.cols[key] = i
	}
	r.names, r.width = header, len(header)

	sp, best := r.match(header)
	if sp == nil {
		if d, ok := otherDelimiter(header); ok {
			return fail(fmt.Sprintf("wrong delimiter: the columns are separated by %s; CORDIS files use ';'", d))
		}
		if best != nil {
			return fail(fmt.Sprintf("wrong or truncated header for %s: missing columns %s", best.layout, strings.Join(r.missing(best.signature), ", ")))
		}
		first := header
		if len(first) > 4 {
			first = first[:4]
		}
		return fail(fmt.Sprintf("not a CORDIS project, organisation or topic export: unknown header %q", strings.Join(first, ";")))
	}
	if miss := r.missing(sp.required); len(miss) > 0 {
		return fail(fmt.Sprintf("wrong or truncated header for %s: missing columns %s", sp.layout, strings.Join(miss, ", ")))
	}
	r.layout = sp.layout
	for _, c := range sp.required {
		r.minWidth = max(r.minWidth, r.cols[strings.ToLower(c)]+1)
	}
	return nil
}

// match returns the spec whose signature the header holds, or else the one
// it comes closest to (at least two signature columns), or nil.
func (r *Reader) match(header []string) (found, closest *spec) {
	bestN := 1
	for i := range specs {
		sp := &specs[i]
		n := len(sp.signature) - len(r.missing(sp.signature))
		if n == len(sp.signature) {
			return sp, nil
		}
		if n > bestN {
			closest, bestN = sp, n
		}
	}
	return nil, closest
}

func (r *Reader) missing(cols []string) []string {
	var out []string
	for _, c := range cols {
		if _, ok := r.cols[strings.ToLower(c)]; !ok {
			out = append(out, c)
		}
	}
	return out
}

// otherDelimiter recognises a header written with another separator.
func otherDelimiter(header []string) (string, bool) {
	if len(header) != 1 {
		return "", false
	}
	for _, d := range []struct{ sep, name string }{{",", "','"}, {"\t", "tabs"}, {"|", "'|'"}} {
		parts := strings.Split(header[0], d.sep)
		if len(parts) < 3 {
			continue
		}
		probe := &Reader{cols: map[string]int{}}
		for i, p := range parts {
			probe.cols[strings.ToLower(strings.Trim(strings.TrimSpace(p), `"`))] = i
		}
		if found, closest := probe.match(parts); found != nil || closest != nil {
			return d.name, true
		}
	}
	return "", false
}

// Layout is the layout the header showed.
func (r *Reader) Layout() Layout { return r.layout }

// Name is the file name used in errors.
func (r *Reader) Name() string { return r.name }

// Line is the line on which the last record returned by Next starts.
func (r *Reader) Line() int { return r.line }

// Next returns the next record. At the end it returns io.EOF. A row that
// cannot be read or fails a rule gives a *RowError and the reader moves on
// to the next row; any other error (reading the file) is final.
func (r *Reader) Next() (Record, error) {
	for {
		rec, err := r.cr.Read()
		if err == io.EOF {
			return Record{}, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			r.line = pe.StartLine
			return Record{Line: pe.StartLine}, &RowError{File: r.name, Line: pe.StartLine, Problem: quoteProblem(pe)}
		}
		if err != nil {
			return Record{}, fmt.Errorf("%s: %w", r.name, err)
		}
		r.line, _ = r.cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a line of spaces
		}
		p := rowParser{r: r, rec: rec, out: Record{Line: r.line}}
		switch {
		case len(rec) > r.width:
			p.fail("", fmt.Sprintf("%d fields but the header has %d: a wrong delimiter or an unquoted ';' in a field", len(rec), r.width))
		case len(rec) < r.minWidth:
			p.fail("", fmt.Sprintf("truncated row: %d fields, the layout needs at least %d", len(rec), r.minWidth))
		default:
			for i, f := range rec {
				if len(f) > maxField {
					p.fail(r.names[i], fmt.Sprintf("longer than %d bytes", maxField))
					break
				}
			}
		}
		if p.err == nil {
			switch r.layout {
			case LegacyProjects, Projects:
				p.project()
			case LegacyOrganisations, Organisations:
				p.participation()
			case Topics:
				p.topic()
			}
		}
		if p.err != nil {
			return Record{Line: r.line}, p.err
		}
		return p.out, nil
	}
}

func quoteProblem(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf("broken quoting: a \" inside an unquoted field (line %d, column %d)", pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine:
		return fmt.Sprintf("broken quoting: a quoted field that opens on this line is not closed properly (line %d, column %d)", pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf("broken quoting: a stray or missing \" in a quoted field (line %d, column %d)", pe.Line, pe.Column)
	}
	return pe.Err.Error()
}

// rowParser turns one CSV row into a record, keeping the first problem.
type rowParser struct {
	r   *Reader
	rec []string
	out Record
	err *RowError
}

func (p *rowParser) fail(field, problem string) {
	if p.err == nil {
		p.err = &RowError{File: p.r.name, Line: p.r.line, Field: field, Problem: problem}
	}
}

func (p *rowParser) warn(field, problem string) {
	p.out.Warnings = append(p.out.Warnings, RowError{File: p.r.name, Line: p.r.line, Field: field, Problem: problem})
}

// raw returns the field of column name ("" when the column is absent or
// the row ends before it) and the column's name as the header writes it.
func (p *rowParser) raw(name string) (string, string) {
	i, ok := p.r.cols[strings.ToLower(name)]
	if !ok {
		return "", name
	}
	if i >= len(p.rec) {
		return "", p.r.names[i]
	}
	return p.rec[i], p.r.names[i]
}

func (p *rowParser) text(name string, required bool) string {
	v, field := p.raw(name)
	out, warning, err := cleanText(v)
	if err != nil {
		p.fail(field, err.Error())
		return ""
	}
	if warning != "" {
		p.warn(field, warning)
	}
	if required && out == "" {
		p.fail(field, "missing")
	}
	return out
}

func (p *rowParser) list(name string) []string {
	v := p.text(name, false)
	var out []string
	for _, s := range strings.Split(v, ";") {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (p *rowParser) amount(name string) Amount {
	v, field := p.raw(name)
	a, err := ParseAmount(v)
	if err != nil {
		p.fail(field, err.Error())
	}
	return a
}

func (p *rowParser) date(name string) string {
	v, field := p.raw(name)
	d, err := parseDate(v)
	if err != nil {
		p.fail(field, err.Error())
	}
	return d
}

func (p *rowParser) timestamp(name string) string {
	v, field := p.raw(name)
	d, err := parseTimestamp(v)
	if err != nil {
		p.fail(field, err.Error())
	}
	return d
}

func (p *rowParser) boolean(name string) bool {
	v, field := p.raw(name)
	b, err := parseBool(v)
	if err != nil {
		p.fail(field, err.Error())
	}
	return b
}

// id reads an identifier made of digits: a project id (up to 12) or a PIC
// (exactly 9).
func (p *rowParser) id(name, what string, minLen, maxLen int) string {
	v, field := p.raw(name)
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		p.fail(field, "missing: a row without "+what)
	case !digits(v) || len(v) < minLen || len(v) > maxLen:
		want := fmt.Sprintf("%d digits", maxLen)
		if minLen != maxLen {
			want = fmt.Sprintf("up to %d digits", maxLen)
		}
		p.fail(field, fmt.Sprintf("not %s: %q (%s expected)", what, excerpt(v, 0), want))
	}
	return v
}

func (p *rowParser) project() {
	pr := &Project{}
	legacy := p.r.layout == LegacyProjects
	pr.ID = p.id("id", "a project id", 1, 12)
	pr.RCN = p.text("rcn", false)
	pr.Acronym = p.text("acronym", false)
	pr.Title = p.text("title", true)
	pr.Objective = p.text("objective", false)
	pr.Status = p.text("status", false)
	pr.Framework = p.text("frameworkProgramme", false)
	pr.Topics = p.list("topics")
	pr.FundingScheme = p.text("fundingScheme", false)
	pr.StartDate = p.date("startDate")
	pr.EndDate = p.date("endDate")
	pr.TotalCost = p.amount("totalCost")
	pr.EUMax = p.amount("ecMaxContribution")
	if legacy {
		pr.Programmes = p.list("programme")
		pr.Call = p.text("call", false)
		pr.Website = p.text("projectUrl", false)
		pr.Subjects = p.list("subjects")
	} else {
		pr.Programmes = p.list("legalBasis")
		if pr.Call = p.text("subCall", false); pr.Call == "" {
			pr.Call = p.text("masterCall", false)
		}
		pr.Updated = p.timestamp("contentUpdateDate")
	}
	if pr.Acronym == "" {
		pr.Acronym = pr.ID
	}
	if pr.StartDate != "" && pr.EndDate != "" && pr.EndDate < pr.StartDate {
		p.warn("endDate", fmt.Sprintf("ends (%s) before it starts (%s)", pr.EndDate, pr.StartDate))
	}
	p.out.Project = pr
}

func (p *rowParser) participation() {
	pa := &Participation{}
	legacy := p.r.layout == LegacyOrganisations
	pa.ProjectID = p.id("projectID", "a project id", 1, 12)
	if legacy {
		pa.PIC = p.id("id", "a PIC", 9, 9)
		pa.Website = p.text("organizationUrl", false)
	} else {
		pa.PIC = p.id("organisationID", "a PIC", 9, 9)
		pa.Website = p.text("organizationURL", false)
		pa.SME = p.boolean("SME")
		pa.Updated = p.timestamp("contentUpdateDate")
		if v, field := p.raw("order"); strings.TrimSpace(v) != "" {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 {
				p.fail(field, fmt.Sprintf("not a position: %q", v))
			}
			pa.Order = n
		}
	}
	pa.Name = p.text("name", true)
	pa.ShortName = p.text("shortName", false)
	pa.City = p.text("city", false)
	pa.Terminated = p.boolean("endOfParticipation")
	pa.EUContribution = p.amount("ecContribution")

	role, field := p.raw("role")
	pa.Role = normalizeRole(role)
	switch {
	case strings.TrimSpace(role) == "":
		p.fail(field, "missing")
	case pa.Role == "":
		p.fail(field, fmt.Sprintf("unknown role %q (want one of coordinator, participant, partner, thirdParty, associatedPartner, internationalPartner)", excerpt(role, 0)))
	}

	act, field := p.raw("activityType")
	pa.Activity = strings.ToUpper(strings.TrimSpace(act))
	if pa.Activity == "" {
		pa.Kind = directory.KindOther
	} else if kind, ok := directory.KindFromCORDIS(pa.Activity); ok {
		pa.Kind = kind
	} else {
		p.fail(field, fmt.Sprintf("unknown activity type %q (want PRC, REC, HES, PUB or OTH)", excerpt(act, 0)))
	}

	c, field := p.raw("country")
	switch iso, ok := country.Normalize(c); {
	case strings.TrimSpace(c) == "":
		p.fail(field, "missing")
	case !ok:
		p.fail(field, fmt.Sprintf("unknown country code %q", excerpt(c, 0)))
	default:
		pa.Country = iso
	}

	v, field := p.raw("vatNumber")
	if vat, ok := NormalizeVAT(v); ok {
		pa.VAT = vat
	} else {
		p.warn(field, fmt.Sprintf("ignored: %q is not a VAT number", excerpt(v, 0)))
	}
	p.out.Participation = pa
}

func normalizeRole(s string) string {
	k := strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.TrimSpace(s)))
	switch k {
	case "coordinator":
		return RoleCoordinator
	case "participant", "beneficiary":
		return RoleParticipant
	case "partner":
		return RolePartner
	case "thirdparty":
		return RoleThirdParty
	case "associatedpartner":
		return RoleAssociatedPartner
	case "internationalpartner":
		return RoleInternationalPartner
	}
	return ""
}

func (p *rowParser) topic() {
	t := &Topic{}
	t.Code = p.text("code", true)
	t.Title = p.text("title", true)
	t.CallName = p.text("callName", false)
	t.WorkProgramme = p.text("workProgramme", false)
	p.out.Topic = t
}
