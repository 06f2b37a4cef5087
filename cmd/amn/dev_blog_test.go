package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/amanat/amn/blog"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

// TestDevSeedsThePostsOnce: amn dev's blog gets its posts on the first run only, as the dev
// admin, and the public sees the two published ones (the scheduled one an hour later).
func TestDevSeedsThePostsOnce(t *testing.T) {
	pool := dbtest.PoolLike(t, dbtest.Own(t), db.RoleAPI)
	ctx := context.Background()
	a, err := devAuth(t.TempDir(), pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := seedDevAccounts(ctx, &out, a, "127.0.0.1:8080"); err != nil {
		t.Fatal(err)
	}
	var o contentOptions
	o.addFlags(pflag.NewFlagSet("dev", pflag.ContinueOnError)) // the defaults
	o.UploadPath = t.TempDir()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	_, b, err := o.services(pool)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := seedDevPosts(ctx, &out, b, a, "127.0.0.1:8080"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := b.PublicPosts(ctx, blog.Filter{}, blog.Cursor{}, 10)
	if err != nil || len(got) != 2 || strings.Count(out.String(), "posts seeded") != 1 {
		t.Fatalf("%v %d posts\n%s", err, len(got), out.String())
	}
	if p, err := b.PublicPost(ctx, "khryd-mn-b-mnt"); err != nil || p.Locale != "fa" {
		t.Fatalf("the Persian post: %v %+v", err, got)
	}
}
