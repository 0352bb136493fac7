package projects

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/directory"
)

// OrgFields are the fields of a directory organisation that a CORDIS row
// speaks about, already fitted to the directory's rules.
type OrgFields struct {
	Name      string
	ShortName string
	Kind      string
	SME       bool
	Country   string
	City      string
	Website   string
	VAT       string
}

// FieldsFromCORDIS fits what a participation row says about its
// organisation to the directory's rules: lengths cut to the directory's
// limits, a website given a scheme (CORDIS writes "www.tno.nl") or dropped
// when it is no address, the SME flag only for companies.
func FieldsFromCORDIS(p *cordis.Participation) OrgFields {
	return OrgFields{
		Name:      truncate(p.Name, 300),
		ShortName: truncate(p.ShortName, 60),
		Kind:      p.Kind,
		SME:       p.SME && p.Kind == directory.KindCompany,
		Country:   p.Country,
		City:      truncate(p.City, 120),
		Website:   NormalizeWebsite(p.Website),
		VAT:       p.VAT,
	}
}

// Reconcile returns the directory's fields after a newer CORDIS record
// arrives: a field the directory still holds as the previous import wrote
// it takes the new value; a field someone changed by hand keeps their
// value. With a zero previous record (an organisation entered by hand and
// now matched by PIC or VAT) this fills the empty fields only.
func Reconcile(current, previous, next OrgFields) OrgFields {
	pick := func(cur, prev, nxt string) string {
		if cur == prev {
			return nxt
		}
		return cur
	}
	out := current
	out.Name = pick(current.Name, previous.Name, next.Name)
	out.ShortName = pick(current.ShortName, previous.ShortName, next.ShortName)
	out.Kind = pick(current.Kind, previous.Kind, next.Kind)
	out.Country = pick(current.Country, previous.Country, next.Country)
	out.City = pick(current.City, previous.City, next.City)
	out.Website = pick(current.Website, previous.Website, next.Website)
	out.VAT = pick(current.VAT, previous.VAT, next.VAT)
	if current.SME == previous.SME {
		out.SME = next.SME
	}
	if out.SME && out.Kind != directory.KindCompany {
		out.SME = false
	}
	return out
}

// NormalizeWebsite gives a CORDIS website a scheme and checks that it is
// an address; "" when it is not.
func NormalizeWebsite(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " \t\n") || len(s) > 490 {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") {
		return ""
	}
	return s
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n]))
}

var slugLetters = strings.NewReplacer("ß", "ss", "æ", "ae", "ø", "o", "ł", "l", "đ", "d", "þ", "th", "œ", "oe", "ı", "i", "ð", "d")

// Slug makes a URL slug from a name: folded, letters and digits joined by
// single dashes, at most 60 characters cut at a dash; "org" when nothing
// is left (a name in Greek letters, say).
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range slugLetters.Replace(directory.Fold(name)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	s := b.String()
	if len(s) > 60 {
		s = s[:60]
		if i := strings.LastIndexByte(s, '-'); i > 20 {
			s = s[:i]
		}
		s = strings.Trim(s, "-")
	}
	if s == "" {
		return "org"
	}
	return s
}

// SlugCandidates are the slugs an imported organisation tries in order:
// its name's slug, then with the last four digits of its PIC, then with
// the whole PIC (unique among imported organisations). They depend only
// on the row, so that a run resumed after an interruption picks the same
// slugs as one clean run.
func SlugCandidates(name, pic string) []string {
	base := Slug(name)
	return []string{base, base + "-" + pic[max(0, len(pic)-4):], base + "-" + pic}
}
