// Package blog owns the CMS: posts written by admins in Markdown, stored with the HTML rendered
// from it by goldmark and sanitized by bluemonday (render.go: scripts, event handlers,
// javascript: links and iframes from hosts off the allow-list never survive), slugs made once from
// the title (transliterated, so Persian and Cyrillic titles get Latin slugs) and never changed,
// the public reads (visible posts only: published or scheduled, once their publish time has come,
// found by querying the time, with no job), and the Atom feed and sitemap. Its table is
// blog_posts (migration 00037).
//
// A post's cover is an upload, attached through package upload (which then serves it publicly);
// the blog never reads the uploads table. It holds no money and never imports payment or market.
package blog
