package feed

import (
	"context"
	"slices"
	"sync"
)

// Memory is a changes table in memory, for tests of subscribers: entries
// become visible when their transaction commits, which may be out of id
// order as on PostgreSQL.
type Memory struct {
	mu      sync.Mutex
	entries []Change // in id order; ids are positions + 1
	visible map[int64]bool
}

// NewMemory returns an empty table.
func NewMemory() *Memory { return &Memory{visible: map[int64]bool{}} }

// Reserve takes the next id for entity in a transaction not yet
// committed.
func (m *Memory) Reserve(entity string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := int64(len(m.entries) + 1)
	m.entries = append(m.entries, Change{ID: id, Entity: entity, EntityID: entity, Op: "update"})
	return id
}

// Commit makes reserved ids visible.
func (m *Memory) Commit(ids ...int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		m.visible[id] = true
	}
}

// Append writes and commits an entry of entity and returns its id.
func (m *Memory) Append(entity string) int64 {
	id := m.Reserve(entity)
	m.Commit(id)
	return id
}

func (m *Memory) each(fn func(Change) bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.entries {
		if m.visible[c.ID] && !fn(c) {
			return
		}
	}
}

// LatestChange implements Source.
func (m *Memory) LatestChange(context.Context) (int64, error) {
	var last int64
	m.each(func(c Change) bool { last = c.ID; return true })
	return last, nil
}

// ChangesAfter implements Source.
func (m *Memory) ChangesAfter(_ context.Context, after int64, limit int) ([]Change, error) {
	var out []Change
	m.each(func(c Change) bool {
		if c.ID > after {
			out = append(out, c)
		}
		return len(out) < limit
	})
	return out, nil
}

// ChangesIn implements Source.
func (m *Memory) ChangesIn(_ context.Context, ids []int64) ([]Change, error) {
	var out []Change
	m.each(func(c Change) bool {
		if slices.Contains(ids, c.ID) {
			out = append(out, c)
		}
		return true
	})
	return out, nil
}
