package projects

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Message keys of merge conflicts.
const (
	// AlreadyMerged: the organisation to merge away was merged already
	// (by a merge running at the same time, say).
	AlreadyMerged = "error.already_merged"
	// AlreadyUndone: the merge was undone already.
	AlreadyUndone = "error.already_undone"
)

// Row is a table row as the store reads it: column → value (nil, int64,
// float64, bool, string, []byte or time.Time).
type Row map[string]any

// Text returns column c as text.
func (r Row) Text(c string) string {
	switch v := r[c].(type) {
	case nil:
		return ""
	case string:
		return v
	case []byte:
		return string(v)
	default:
		return fmt.Sprint(v)
	}
}

// KeyOf returns the values of cols in r.
func (r Row) KeyOf(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = r.Text(c)
	}
	return out
}

// MergeSnapshot is what the store reads before a merge: the two
// organisations, and per reference (by OrgReference.Name) the rows of
// each that a union compares, and how many rows would block the merge.
type MergeSnapshot struct {
	Into, From OrgRef
	FromRows   map[string][]Row // union references: From's link rows
	IntoRows   map[string][]Row // union references: Into's link rows
	Blocking   map[string]int   // block references: From's rows
}

// MergePlan is what a merge does, for the store to apply in one
// transaction: add link rows to Into, point the rows of the move
// references at Into, and remove From (its union and drop rows go with
// it, to come back on undo).
type MergePlan struct {
	Add  map[string][]Row // per union reference: rows to add to Into
	Move []store.OrgReference
	Keep []store.OrgReference // union and drop references: From's rows to keep for undo
}

// PlanMerge computes the merge of s.From into s.Into over refs. It
// refuses (409) a merge that a block reference forbids. From's links
// that Into lacks are added after Into's own (position continues Into's
// order); From's PIC and VAT number become identifiers of Into, so that a
// later import links them to it.
func PlanMerge(refs []store.OrgReference, s MergeSnapshot) (MergePlan, error) {
	p := MergePlan{Add: map[string][]Row{}}
	for _, ref := range refs {
		name := ref.Name()
		switch ref.Action {
		case store.BlockMerge:
			if s.Blocking[name] > 0 {
				return p, &store.ConflictError{Field: "from", Code: validate.InUse}
			}
		case store.MoveWithMerge:
			p.Move = append(p.Move, ref)
		case store.DropWithMerge:
			p.Keep = append(p.Keep, ref)
		case store.UnionWithMerge:
			p.Keep = append(p.Keep, ref)
			from := s.FromRows[name]
			if ref.Table == "organisation_identifiers" {
				from = append(identifierRows(s.From), from...)
			}
			p.Add[name] = union(ref, s.Into.ID, s.IntoRows[name], from)
		default:
			return p, fmt.Errorf("projects: reference %s: unknown action %q", name, ref.Action)
		}
	}
	return p, nil
}

// identifierRows are From's own PIC and VAT number as identifier rows.
func identifierRows(from OrgRef) []Row {
	var out []Row
	for _, id := range [][2]string{{"pic", from.PIC}, {"vat", from.VAT}} {
		if strings.TrimSpace(id[1]) != "" {
			out = append(out, Row{"scheme": id[0], "value": id[1], "organisation_id": from.ID, "source": "merge"})
		}
	}
	return out
}

// union returns the rows of from whose key into lacks, as rows of into.
func union(ref store.OrgReference, into string, have, from []Row) []Row {
	seen := map[string]bool{}
	pos := int64(-1)
	for _, r := range have {
		seen[strings.Join(r.KeyOf(ref.Key), "\x00")] = true
		if n, ok := position(r); ok && n > pos {
			pos = n
		}
	}
	var out []Row
	for _, r := range from {
		k := strings.Join(r.KeyOf(ref.Key), "\x00")
		if seen[k] {
			continue
		}
		seen[k] = true
		nr := Row{}
		for c, v := range r {
			nr[c] = v
		}
		nr[ref.Column] = into
		for c, v := range ref.Set {
			nr[c] = v
		}
		if _, ok := position(r); ok {
			pos++
			nr["position"] = pos
		}
		out = append(out, nr)
	}
	return out
}

func position(r Row) (int64, bool) {
	switch v := r["position"].(type) {
	case int64:
		return v, true
	case int:
		return int64(v), true
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// Counted returns what a merge moved and added, in the terms of
// MergeMoved, from the keys per reference.
func Counted(moved, added map[string][][]string) MergeMoved {
	return MergeMoved{
		Participations: len(moved["participations.organisation_id"]),
		People:         len(moved["people.organisation_id"]),
		Facilities:     len(moved["facilities.organisation_id"]),
		Memberships:    len(added["memberships.organisation_id"]),
		Identifiers:    len(added["organisation_identifiers.organisation_id"]),
	}
}

// Undeclared returns the organisation references of a schema (as
// "table.column") that refs do not declare, and the declared ones the
// schema lacks.
func Undeclared(refs []store.OrgReference, schema []string) (missing, stale []string) {
	declared := map[string]bool{}
	for _, r := range refs {
		declared[r.Name()] = true
	}
	for _, s := range schema {
		if !declared[s] {
			missing = append(missing, s)
		}
		delete(declared, s)
	}
	for k := range declared {
		stale = append(stale, k)
	}
	slices.Sort(missing)
	slices.Sort(stale)
	return missing, stale
}
