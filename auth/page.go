package auth

import (
	"time"

	"github.com/google/uuid"
)

// Page is where a list starts and how long it is. Every list of the package is ordered newest
// first by (created_at, id), and a page starts after the key of the previous page's last item
// (keyset pagination: a page does not shift when rows are added before it).
type Page struct {
	// After is the previous page's last key; nil is the first page.
	After *PageKey
	// Limit is the page's length, 1 to MaxPageLimit; 0 is DefaultPageLimit.
	Limit int
}

// PageKey is one item's place in a list.
type PageKey struct {
	CreatedAt time.Time
	ID        uuid.UUID
}

// The page lengths.
const (
	DefaultPageLimit = 20
	MaxPageLimit     = 100
)

// firstKey is above every key: the first page starts below it.
var firstKey = PageKey{
	CreatedAt: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC),
	ID:        uuid.Max,
}

// bounds returns the key to start below and the number of rows to ask for (one more than the
// page, to know whether another page follows).
func (p Page) bounds() (PageKey, int32) {
	k := firstKey
	if p.After != nil {
		k = *p.After
	}
	n := p.Limit
	if n <= 0 {
		n = DefaultPageLimit
	}
	n = min(n, MaxPageLimit)
	return k, int32(n + 1)
}

// cut trims rows fetched with bounds to the page, and returns the key of the page's last item if
// another page follows.
func cut[T any](rows []T, lim int32, key func(T) PageKey) ([]T, *PageKey) {
	if int32(len(rows)) < lim {
		return rows, nil
	}
	rows = rows[:lim-1]
	k := key(rows[len(rows)-1])
	return rows, &k
}
