package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/blog"
)

// devPosts are the local blog's posts: two published (English, Persian: its slug is
// transliterated) and one scheduled an hour ahead, which the public sees only then.
var devPosts = []blog.Input{
	{Title: "How escrow keeps your money safe", Summary: "What happens between paying and receiving.", Locale: "en", Status: blog.Published,
		Categories: []string{"guides"}, Tags: []string{"escrow", "safety"},
		Markdown: "Your payment waits in **escrow** until the deal completes.\n\n1. The buyer pays in USDT or USDC.\n2. The seller delivers.\n3. The money is released, with custodians' approval.\n\n<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\"></iframe>"},
	{Title: "خرید امن با امانت", Summary: "راهنمای خرید", Locale: "fa", Status: blog.Published, Categories: []string{"guides"}, Tags: []string{"escrow"},
		Markdown: "پول شما تا پایان معامله در **امانت** می\u200cماند."},
	{Title: "Coming soon: Polygon payouts", Locale: "en", Status: blog.Scheduled, Categories: []string{"news"}, Markdown: "Scheduled: visible an hour after `make dev` seeded it."},
}

// seedDevPosts writes devPosts as the dev admin, once per database (when the blog is empty).
func seedDevPosts(ctx context.Context, out io.Writer, b *blog.Service, a *auth.Service, listen string) error {
	admins, _, err := a.ListUsers(ctx, auth.UserFilter{Email: devAccounts[0].email}, auth.Page{Limit: 1})
	if err != nil {
		return fmt.Errorf("dev blog: %w", err)
	}
	if len(admins) == 0 {
		return errors.New("dev blog: the dev admin account is missing")
	}
	who := blog.Caller{UserID: admins[0].ID, Admin: true}
	have, err := b.List(ctx, who, "", blog.Cursor{}, 1)
	if err != nil {
		return fmt.Errorf("dev blog: %w", err)
	}
	if len(have) > 0 {
		fmt.Fprintf(out, "blog      http://%s/v1/blog/posts  feed /v1/blog/feed.xml  sitemap /v1/blog/sitemap.xml\n", listen)
		return nil
	}
	for _, in := range devPosts {
		if in.Status == blog.Scheduled {
			at := time.Now().Add(time.Hour)
			in.PublishAt = &at
		}
		if _, err := b.Create(ctx, who, in); err != nil {
			return fmt.Errorf("dev blog: %w", err)
		}
	}
	fmt.Fprintf(out, "blog      %d posts seeded: http://%s/v1/blog/posts  feed /v1/blog/feed.xml  sitemap /v1/blog/sitemap.xml\n", len(devPosts), listen)
	return nil
}
