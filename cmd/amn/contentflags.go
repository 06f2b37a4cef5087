package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/pflag"

	"github.com/amanat/amn/blog"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/upload"
)

// contentOptions are the API's uploads and blog settings: where files are stored and how large
// they may be, and where the frontend shows the blog (the feed's and sitemap's links).
type contentOptions struct {
	UploadPath      string
	UploadMaxBytes  int64
	UploadMaxPixels int64
	UploadSizes     string
	UploadWorkers   int
	UploadQueue     int
	UploadQueueWait time.Duration
	UploadPerAcct   int
	UploadBodyTime  time.Duration
	UploadQuota     int64
	BlogURL         string
	BlogTitle       string

	uploads upload.Config
	blog    blog.Config
}

func (o *contentOptions) addFlags(fs *pflag.FlagSet) {
	u, b := upload.DefaultConfig(), blog.DefaultConfig()
	var sizes []string
	for _, s := range u.Sizes {
		sizes = append(sizes, fmt.Sprintf("%s=%d", s.Name, s.Max))
	}
	fs.StringVar(&o.UploadPath, "upload-path", upload.DefaultPath(), "folder of uploaded files (content-addressed: ab/abcdef…)")
	fs.Int64Var(&o.UploadMaxBytes, "upload-max-bytes", u.MaxBytes, "largest upload, in bytes (413 beyond, found while reading)")
	fs.Int64Var(&o.UploadMaxPixels, "upload-max-pixels", u.MaxPixels, "largest image, in pixels (width × height, read before decoding); a 16-bit image gets half (its pixels take 8 bytes)")
	fs.StringVar(&o.UploadSizes, "upload-sizes", strings.Join(sizes, ","), "resized copies made of each image: name=pixels of the longest side, comma-separated")
	fs.IntVar(&o.UploadWorkers, "upload-workers", u.Workers, "images decoded at once by this process")
	fs.IntVar(&o.UploadQueue, "upload-queue", u.Queue, "uploads that may wait for a decode; beyond it 503 with Retry-After")
	fs.DurationVar(&o.UploadQueueWait, "upload-queue-wait", u.QueueWait, "how long an upload waits for a decode before 503 with Retry-After")
	fs.IntVar(&o.UploadPerAcct, "upload-per-account", u.PerAccount, "uploads one account may have in flight at once; beyond it 429 with Retry-After")
	fs.DurationVar(&o.UploadBodyTime, "upload-body-timeout", u.BodyTimeout, "how long an upload's body may take to arrive (a read deadline); then 400")
	fs.Int64Var(&o.UploadQuota, "upload-quota", u.QuotaBytes, "bytes each account's uploads may take, every stored copy counted (0: no quota)")
	fs.StringVar(&o.BlogURL, "blog-url", b.SiteURL, "where the frontend shows blog posts: a post's link is this URL/slug (feed, sitemap)")
	fs.StringVar(&o.BlogTitle, "blog-title", b.Title, "the blog feed's title")
}

// Validate checks the upload and blog settings.
func (o *contentOptions) Validate() error {
	sizes, err := upload.ParseSizes(o.UploadSizes)
	if err != nil {
		return fmt.Errorf("%w: --upload-sizes (%s): %v", config.ErrInvalid, config.Env("upload-sizes"), err)
	}
	o.uploads = upload.DefaultConfig()
	o.uploads.MaxBytes, o.uploads.MaxPixels, o.uploads.Sizes = o.UploadMaxBytes, o.UploadMaxPixels, sizes
	o.uploads.Workers, o.uploads.Queue, o.uploads.QueueWait, o.uploads.QuotaBytes = o.UploadWorkers, o.UploadQueue, o.UploadQueueWait, o.UploadQuota
	o.uploads.PerAccount, o.uploads.BodyTimeout = o.UploadPerAcct, o.UploadBodyTime
	if err := o.uploads.Validate(); err != nil {
		return fmt.Errorf("%w: --upload-* settings: %v", config.ErrInvalid, err)
	}
	if o.UploadPath == "" {
		return fmt.Errorf("%w: --upload-path (%s) is empty", config.ErrInvalid, config.Env("upload-path"))
	}
	o.blog = blog.DefaultConfig()
	o.blog.SiteURL, o.blog.Title = o.BlogURL, o.BlogTitle
	if err := o.blog.Validate(); err != nil {
		return fmt.Errorf("%w: --blog-url, --blog-title: %v", config.ErrInvalid, err)
	}
	return nil
}

// services are the uploads (on the disk at --upload-path, made if missing) and the blog on pool
// (Validate first).
func (o *contentOptions) services(pool *pgxpool.Pool) (*upload.Service, *blog.Service, error) {
	if err := os.MkdirAll(o.UploadPath, 0o750); err != nil {
		return nil, nil, fmt.Errorf("--upload-path (%s): %w", config.Env("upload-path"), err)
	}
	uploads := upload.New(pool, upload.Disk{Root: o.UploadPath}, o.uploads)
	b, err := blog.New(pool, uploads, o.blog)
	if err != nil {
		return nil, nil, err
	}
	return uploads, b, nil
}

// newChat is the chat on pool: the market says whose an offer is, uploads attach its files (and
// let the conversation's parties read them).
func newChat(pool *pgxpool.Pool, mkt *market.Service, uploads *upload.Service) *chat.Service {
	c := chat.New(pool, mkt, uploads)
	uploads.WithRule(upload.KindChat, c.AttachmentRule)
	return c
}
