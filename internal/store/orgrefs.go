package store

import (
	"slices"
	"strings"
	"sync"
)

// OrgRefAction says what merging two organisations does with the rows of
// a table that point at the organisation merged away.
type OrgRefAction string

const (
	// MoveWithMerge: the rows point at the organisation kept; undo
	// points exactly those rows back.
	MoveWithMerge OrgRefAction = "move"
	// UnionWithMerge: link rows (roles, memberships, ...) the kept
	// organisation lacks (by Key) are added to it; the merged
	// organisation's own rows go with it and come back on undo.
	UnionWithMerge OrgRefAction = "union"
	// DropWithMerge: the rows go with the merged organisation and come
	// back on undo (marks that only make sense for it).
	DropWithMerge OrgRefAction = "drop"
	// BlockMerge: a merge is refused while such rows exist.
	BlockMerge OrgRefAction = "block"
)

// OrgReference declares one column of a table that holds an
// organisation's id, and what a merge does with its rows. Every
// capability declares its own (DeclareOrgReferences, from an init
// function); a test compares the declarations with the schema of both
// engines, so a table added later cannot silently block or break a merge.
type OrgReference struct {
	Owner  string // the capability that owns the table, for messages
	Table  string
	Column string
	// Key names the columns that identify a row besides Column: the
	// primary key of a moved row, or what makes two link rows the same.
	Key    []string
	Action OrgRefAction
	// Set overrides columns of the link rows a union adds to the kept
	// organisation (e.g. source = "merge").
	Set map[string]string
}

// Name is "table.column".
func (r OrgReference) Name() string { return r.Table + "." + r.Column }

var orgRefs struct {
	sync.Mutex
	list []OrgReference
}

// DeclareOrgReferences registers references to organisations. Declaring
// one table column twice panics: two capabilities cannot both own it.
func DeclareOrgReferences(refs ...OrgReference) {
	orgRefs.Lock()
	defer orgRefs.Unlock()
	for _, r := range refs {
		if slices.ContainsFunc(orgRefs.list, func(o OrgReference) bool { return o.Name() == r.Name() }) {
			panic("store: organisation reference " + r.Name() + " declared twice")
		}
		orgRefs.list = append(orgRefs.list, r)
	}
}

// OrgReferences returns every declared reference, ordered by table and
// column.
func OrgReferences() []OrgReference {
	orgRefs.Lock()
	defer orgRefs.Unlock()
	out := slices.Clone(orgRefs.list)
	slices.SortFunc(out, func(a, b OrgReference) int { return strings.Compare(a.Name(), b.Name()) })
	return out
}
