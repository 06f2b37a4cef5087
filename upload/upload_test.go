package upload

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/upload/uploadtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// newUser adds a user row (uploads belong to users) and returns them as a Caller.
func newUser(t *testing.T, pool *pgxpool.Pool) Caller {
	t.Helper()
	id := uuid.New()
	if _, err := pool.Exec(context.Background(), `INSERT INTO users (id) VALUES ($1)`, id); err != nil {
		t.Fatal(err)
	}
	return Caller{UserID: id}
}

func newService(t *testing.T) (*Service, *pgxpool.Pool, string) {
	t.Helper()
	pool := dbtest.Pool(t)
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.MaxBytes = 1 << 20
	return New(pool, Disk{Root: dir}, cfg), pool, dir
}

func readAll(t *testing.T, s *Service, who Caller, id uuid.UUID, variant string) ([]byte, Variant) {
	t.Helper()
	f, v, _, err := s.Open(context.Background(), who, id, variant)
	if err != nil {
		t.Fatalf("open %s %q: %v", id, variant, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b, v
}

// TestGPSIsGone: a JPEG carrying EXIF GPS comes back, at full size and resized, without any EXIF.
func TestGPSIsGone(t *testing.T) {
	s, pool, _ := newService(t)
	who := newUser(t, pool)
	in := uploadtest.WithGPS(uploadtest.JPEG(t, uploadtest.Image(1000, 500)))
	if _, err := jpeg.Decode(bytes.NewReader(in)); err != nil || !bytes.Contains(in, []byte("Exif\x00\x00MM")) {
		t.Fatalf("the test image is not a JPEG with EXIF: %v", err)
	}
	u, err := s.Put(context.Background(), who, bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if u.ContentType != "image/jpeg" || u.Width != 1000 || u.Height != 500 {
		t.Fatalf("stored %s %d×%d", u.ContentType, u.Width, u.Height)
	}
	if names := variantNames(u); names != "thumb,medium" {
		t.Fatalf("variants %s, want thumb,medium (large is not smaller than the image)", names)
	}
	for _, v := range []string{"", "thumb", "medium"} {
		b, meta := readAll(t, s, who, u.ID, v)
		if bytes.Contains(b, []byte("Exif")) || bytes.Contains(b, []byte{0xff, 0xe1}) {
			t.Errorf("%q still carries an EXIF segment", v)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
		if err != nil || cfg.Width != meta.Width || cfg.Height != meta.Height {
			t.Errorf("%q: %v %d×%d, metadata says %d×%d", v, err, cfg.Width, cfg.Height, meta.Width, meta.Height)
		}
	}
}

func variantNames(u *Upload) string {
	var n []string
	for _, v := range u.Variants {
		n = append(n, v.Name)
	}
	return strings.Join(n, ",")
}

// TestTypeComesFromTheContent: a PNG is a PNG whatever it is called (the service never sees a
// name); WebP is stored as PNG; a PHP script, HTML, an SVG and a PDF are refused.
func TestTypeComesFromTheContent(t *testing.T) {
	s, pool, _ := newService(t)
	who := newUser(t, pool)
	u, err := s.Put(context.Background(), who, bytes.NewReader(uploadtest.PNG(t, uploadtest.Image(40, 30))))
	if err != nil || u.ContentType != "image/png" {
		t.Fatalf("png: %v %+v", err, u)
	}
	webp, err := os.ReadFile(filepath.Join("testdata", "tiny.webp"))
	if err != nil {
		t.Fatal(err)
	}
	u, err = s.Put(context.Background(), who, bytes.NewReader(webp))
	if err != nil || u.ContentType != "image/png" || u.Width != 24 || u.Height != 16 {
		t.Fatalf("webp: %v %+v", err, u)
	}
	for name, body := range map[string]string{
		"php":  "<?php system($_GET['c']); ?>",
		"html": "<html><script>alert(1)</script></html>",
		"svg":  `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`,
		"pdf":  "%PDF-1.7\n",
		"gif":  "GIF89a\x01\x00\x01\x00\x00\x00\x00;",
	} {
		if _, err := s.Put(context.Background(), who, strings.NewReader(body)); !errors.Is(err, ErrUnsupportedType) {
			t.Errorf("%s: %v, want ErrUnsupportedType", name, err)
		}
	}
	// A JPEG's magic bytes on garbage: sniffed as JPEG, refused as corrupt, nothing stored.
	if _, err := s.Put(context.Background(), who, strings.NewReader("\xff\xd8\xff\xe0<?php echo 1; ?>")); !errors.Is(err, ErrCorrupt) {
		t.Errorf("fake jpeg: %v, want ErrCorrupt", err)
	}
}

// TestDecompressionBombIsRefusedBeforeDecoding: a 100-byte PNG claiming 100,000² pixels, and one
// claiming 8,000² (256 MB once decoded), are refused from their header: the refusal allocates
// almost nothing.
func TestDecompressionBombIsRefusedBeforeDecoding(t *testing.T) {
	s, pool, _ := newService(t)
	who := newUser(t, pool)
	for _, side := range []uint32{100_000, 8_000} {
		bomb := uploadtest.BombPNG(side, side)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := s.Put(context.Background(), who, bytes.NewReader(bomb))
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooManyPixels) {
			t.Fatalf("%d² bomb (%d bytes): %v, want ErrTooManyPixels", side, len(bomb), err)
		}
		if d := after.TotalAlloc - before.TotalAlloc; d > 8<<20 {
			t.Errorf("%d² bomb: refusing it allocated %d bytes: it was decoded", side, d)
		}
	}
}

// TestSizeLimitIsEnforcedWhileReading: an endless body ends at the limit with ErrTooLarge.
func TestSizeLimitIsEnforcedWhileReading(t *testing.T) {
	s, pool, _ := newService(t)
	who := newUser(t, pool)
	r := &countingReader{}
	_, err := s.Put(context.Background(), who, r)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("%v, want ErrTooLarge", err)
	}
	if r.n > s.cfg.MaxBytes+1+32<<10 {
		t.Fatalf("read %d bytes of an endless body, limit %d", r.n, s.cfg.MaxBytes)
	}
	if _, err := s.Put(context.Background(), who, strings.NewReader("")); !errors.Is(err, ErrEmpty) {
		t.Fatalf("empty: %v", err)
	}
}

// countingReader is an endless stream of zeros that counts what was read.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	clear(p)
	c.n += int64(len(p))
	return len(p), nil
}

// TestWhoMayRead: a private upload is its owner's and admins'; another user gets ErrNotFound, as
// does someone not signed in; a blog cover is public; dispute evidence follows the registered
// rule (its parties), and a third user is refused.
func TestWhoMayRead(t *testing.T) {
	s, pool, _ := newService(t)
	ctx := context.Background()
	owner, other, party := newUser(t, pool), newUser(t, pool), newUser(t, pool)
	admin := Caller{UserID: newUser(t, pool).UserID, Admin: true}
	put := func() *Upload {
		u, err := s.Put(ctx, owner, bytes.NewReader(uploadtest.PNG(t, uploadtest.Image(20, 20))))
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	private, cover, evidence := put(), put(), put()
	dispute := uuid.NewString()
	s.WithRule(KindEvidence, func(_ context.Context, who Caller, id string) (bool, error) {
		return id == dispute && who.UserID == party.UserID, nil
	})
	if err := s.Attach(ctx, pool, owner, cover.ID, KindBlogCover, uuid.NewString()); err != nil {
		t.Fatal(err)
	}
	if err := s.Attach(ctx, pool, owner, evidence.ID, KindEvidence, dispute); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		who  Caller
		u    *Upload
		ok   bool
	}{
		{"owner/private", owner, private, true}, {"admin/private", admin, private, true},
		{"other/private", other, private, false}, {"anonymous/private", Caller{}, private, false},
		{"anonymous/cover", Caller{}, cover, true}, {"other/cover", other, cover, true},
		{"owner/evidence", owner, evidence, true}, {"party/evidence", party, evidence, true},
		{"admin/evidence", admin, evidence, true}, {"third user/evidence", other, evidence, false},
		{"anonymous/evidence", Caller{}, evidence, false},
	} {
		_, _, _, err := s.Open(ctx, c.who, c.u.ID, "")
		if c.ok && err != nil || !c.ok && !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestAttachIsTheOwnersAndOnce: nobody but the owner attaches an upload (an admin cannot make a
// user's file public); an attached upload is not attached elsewhere; the same attachment again is
// a no-op.
func TestAttachIsTheOwnersAndOnce(t *testing.T) {
	s, pool, _ := newService(t)
	ctx := context.Background()
	owner, other := newUser(t, pool), newUser(t, pool)
	admin := Caller{UserID: newUser(t, pool).UserID, Admin: true}
	u, err := s.Put(ctx, owner, bytes.NewReader(uploadtest.PNG(t, uploadtest.Image(20, 20))))
	if err != nil {
		t.Fatal(err)
	}
	post := uuid.NewString()
	for _, who := range []Caller{other, admin} {
		if err := s.Attach(ctx, pool, who, u.ID, KindBlogCover, post); !errors.Is(err, ErrNotFound) {
			t.Errorf("%+v attached another's upload: %v", who, err)
		}
	}
	if err := s.Attach(ctx, pool, owner, uuid.New(), KindBlogCover, post); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown upload: %v", err)
	}
	if err := s.Attach(ctx, pool, owner, u.ID, KindBlogCover, post); err != nil {
		t.Fatal(err)
	}
	if err := s.Attach(ctx, pool, owner, u.ID, KindBlogCover, post); err != nil {
		t.Errorf("again: %v", err)
	}
	if err := s.Attach(ctx, pool, owner, u.ID, KindEvidence, uuid.NewString()); !errors.Is(err, ErrAttached) {
		t.Errorf("elsewhere: %v", err)
	}
}

// TestStorageIsContentAddressed: the same image twice is two uploads over one stored file, named
// by its SHA-256; keys that are not a SHA-256 (path tricks) reach no path.
func TestStorageIsContentAddressed(t *testing.T) {
	s, pool, dir := newService(t)
	who := newUser(t, pool)
	img := uploadtest.PNG(t, uploadtest.Image(30, 30))
	a, err := s.Put(context.Background(), who, bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(context.Background(), who, bytes.NewReader(img))
	if err != nil || a.ID == b.ID || a.SHA256 != b.SHA256 {
		t.Fatalf("%v: %s %s / %s %s", err, a.ID, a.SHA256, b.ID, b.SHA256)
	}
	if _, err := os.Stat(filepath.Join(dir, a.SHA256[:2], a.SHA256)); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"../../etc/passwd", "/etc/passwd", strings.Repeat("A", 64), a.SHA256 + "/..", "", strings.Repeat("0", 63)} {
		if _, err := (Disk{Root: dir}).Open(context.Background(), key); !errors.Is(err, errKey) {
			t.Errorf("Open(%q): %v", key, err)
		}
		if err := (Disk{Root: dir}).Put(context.Background(), key, []byte("x")); !errors.Is(err, errKey) {
			t.Errorf("Put(%q): %v", key, err)
		}
	}
	if _, _, _, err := s.Open(context.Background(), who, a.ID, "../"+a.SHA256); !errors.Is(err, ErrNotFound) {
		t.Errorf("variant path trick: %v", err)
	}
}

func TestConfig(t *testing.T) {
	sizes, err := ParseSizes("large=1600, thumb=320,medium=800")
	if err != nil || len(sizes) != 3 || sizes[0].Name != "thumb" || sizes[2].Max != 1600 {
		t.Fatalf("%v %+v", err, sizes)
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"original=100", "x=1", "a=10,a=20", "Big=100", "a=100000"} {
		c := DefaultConfig()
		if c.Sizes, err = ParseSizes(bad); err == nil && c.Validate() == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := ParseSizes("thumb"); err == nil {
		t.Error("a size without pixels accepted")
	}
}
