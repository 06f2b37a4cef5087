// Package upload owns uploaded files: it takes an image from an untrusted body, checks what it is
// from its bytes (never its name), decodes it only after its header shows a bounded number of
// pixels, resizes it to the configured sizes and re-encodes every copy (so EXIF, GPS and anything
// appended to the file are gone), stores the bytes content-addressed (by SHA-256) in a Storage
// (the disk by default), and keeps one metadata row per upload in its table, uploads (migration
// 00036). Its memory is bounded: at most Workers decodes at once and Queue uploads waiting (more
// are ErrBusy before their body is read), each decode within MaxPixels × 4 bytes of pixels; and
// each account's uploads within QuotaBytes, counted from its table under the owner's lock.
//
// Who may read an upload follows what it is attached to: a blog cover is public; anything else
// only its owner and admins, unless the package that owns the attachment's kind registers a Rule
// (the dispute's parties for dispute evidence).
//
// It must never serve bytes it has not re-encoded itself, build a storage path from anything but
// a SHA-256 it computed, nor read another package's tables.
package upload
