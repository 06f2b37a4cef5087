package blog

import (
	"context"
	"fmt"
	"strings"

	"github.com/gosimple/slug"
	"github.com/jackc/pgx/v5"
)

// slugMax is the length a slug made from a title is cut to (at a hyphen when there is one).
const slugMax = 80

// slugOf is the slug of a title: transliterated to ASCII (gosimple/slug, with gosimple/unidecode:
// "Привет, мир" → privet-mir, "سلام دنیا" → slm-dny, as Persian is written without short
// vowels), lowercase words joined by hyphens; "post" when nothing is left (a title of emoji).
func slugOf(title string) string {
	s := slug.Make(title)
	if len(s) > slugMax {
		s = s[:slugMax]
		if i := strings.LastIndexByte(s, '-'); i > slugMax/2 {
			s = s[:i]
		}
		s = strings.Trim(s, "-")
	}
	if s == "" || !slugForm.MatchString(s) {
		return "post"
	}
	return s
}

// freeSlug is the given slug, or the title's with the first free suffix (-2, -3, …). Someone
// else may take it before the insert: the insert then fails on the unique index and Create tries
// again.
func (s *Service) freeSlug(ctx context.Context, tx pgx.Tx, given, title string, isGiven bool) (string, error) {
	if isGiven {
		return given, nil
	}
	base := slugOf(title)
	// Posts with one title at once take turns here until their transactions end, so each sees
	// the others' slugs (ten at once used to exhaust Create's retries). A title whose own slug is
	// another's suffixed form ("a 2" and the second "a") can still collide: Create retries that.
	if _, err := tx.Exec(ctx, lockSlugBase, base); err != nil {
		return "", err
	}
	for i := 1; i <= 100; i++ {
		cand := base
		if i > 1 {
			cand = fmt.Sprintf("%s-%d", base, i)
		}
		var taken bool
		if err := tx.QueryRow(ctx, slugExists, cand).Scan(&taken); err != nil {
			return "", err
		}
		if !taken {
			return cand, nil
		}
	}
	return "", fmt.Errorf("%w: a hundred posts already have slug %s", ErrSlugTaken, base)
}
