package upload

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/upload/uploadtest"
)

// sixteenBit is a w×h 16-bit PNG (it decodes to RGBA64: 8 bytes a pixel).
func sixteenBit(t *testing.T, w, h int) []byte {
	img := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA64(x, y, color.NRGBA64{R: uint16(x * 997), G: uint16(y * 991), B: 0x1234, A: 0xffff})
		}
	}
	return uploadtest.PNG(t, img)
}

// TestSixteenBitImagesCountTheirBytes: the pixel cap is a memory cap of MaxPixels × 4 bytes, so a
// 16-bit PNG (8 bytes a pixel once decoded) may have half the pixels an 8-bit one may; the header
// says which, before anything is decoded.
func TestSixteenBitImagesCountTheirBytes(t *testing.T) {
	s, pool, _ := newService(t)
	s.cfg.MaxPixels = 10_000
	who := newUser(t, pool)
	put := func(data []byte) error {
		_, err := s.Put(context.Background(), who, bytes.NewReader(data))
		return err
	}
	if err := put(uploadtest.PNG(t, uploadtest.Image(100, 80))); err != nil {
		t.Fatalf("8-bit, 8,000 pixels: %v", err)
	}
	if err := put(sixteenBit(t, 100, 80)); !errors.Is(err, ErrTooManyPixels) {
		t.Fatalf("16-bit, 8,000 pixels (64,000 bytes, cap 40,000): %v", err)
	}
	if err := put(sixteenBit(t, 70, 70)); err != nil {
		t.Fatalf("16-bit, 4,900 pixels (39,200 bytes): %v", err)
	}
	if err := put(uploadtest.PNG(t, uploadtest.Image(101, 100))); !errors.Is(err, ErrTooManyPixels) {
		t.Fatalf("8-bit, 10,100 pixels: %v", err)
	}
	for _, c := range []struct {
		m    color.Model
		want int64
	}{{color.RGBA64Model, 8}, {color.NRGBA64Model, 8}, {color.NRGBAModel, 4}, {color.YCbCrModel, 3}, {color.GrayModel, 1},
		{color.Gray16Model, 2}, {color.Palette{color.Black}, 1}, {color.ModelFunc(func(c color.Color) color.Color { return c }), 8}} {
		if got := bytesPerPixel(c.m); got != c.want {
			t.Errorf("bytesPerPixel(%T) = %d, want %d", c.m, got, c.want)
		}
	}
}

// TestDecodeQueueIsBounded: with every decode busy an upload waits at most QueueWait, then
// ErrBusy; with the queue full too it is ErrBusy at once, once its body is read (waiting uploads
// hold at most Workers + Queue bodies); a waiting upload goes on when a decode frees.
func TestDecodeQueueIsBounded(t *testing.T) {
	pool := dbtest.Pool(t)
	cfg := DefaultConfig()
	cfg.Workers, cfg.Queue, cfg.QueueWait = 1, 1, 20*time.Millisecond
	s := New(pool, Disk{Root: t.TempDir()}, cfg)
	who := newUser(t, pool)
	png := uploadtest.PNG(t, uploadtest.Image(16, 16))
	ctx := context.Background()

	s.sem <- struct{}{} // the one decode is busy
	if _, err := s.Put(ctx, who, bytes.NewReader(png)); !errors.Is(err, ErrBusy) {
		t.Fatalf("with the decode busy past QueueWait: %v, want ErrBusy", err)
	}
	s.admit <- struct{}{} // and two uploads are in: the decoding one and one waiting
	s.admit <- struct{}{}
	s.cfg.QueueWait = time.Minute // an upload that waited would fail the test by its time
	if _, err := s.Put(ctx, who, bytes.NewReader(png)); !errors.Is(err, ErrBusy) {
		t.Fatalf("with the queue full: %v, want ErrBusy at once", err)
	}
	<-s.admit
	<-s.admit

	done := make(chan error, 1)
	go func() {
		_, err := s.Put(ctx, who, bytes.NewReader(png))
		done <- err
	}()
	<-s.sem // the decode frees: the waiting upload takes it
	if err := <-done; err != nil {
		t.Fatalf("a waiting upload: %v", err)
	}
	if len(s.sem) != 0 || len(s.admit) != 0 {
		t.Fatalf("slots held after the upload: %d decoding, %d in", len(s.sem), len(s.admit))
	}
}

// TestQuotaPerAccount: an account's uploads may take QuotaBytes, every stored copy counted; the
// upload that would pass it is refused and stores nothing, racing uploads cannot pass it together,
// and another account's uploads are its own.
func TestQuotaPerAccount(t *testing.T) {
	pool := dbtest.Pool(t)
	img := uploadtest.PNG(t, uploadtest.Image(400, 300)) // a thumb copy too
	probe := New(pool, Disk{Root: t.TempDir()}, DefaultConfig())
	u, err := probe.Put(context.Background(), newUser(t, pool), bytes.NewReader(img))
	if err != nil || len(u.Variants) != 1 {
		t.Fatalf("probe: %+v, %v", u, err)
	}
	one := u.Size + u.Variants[0].Size

	cfg := DefaultConfig()
	cfg.Workers, cfg.QuotaBytes, cfg.PerAccount = 4, 2*one, 5
	s := New(pool, Disk{Root: t.TempDir()}, cfg)
	alice, bob := newUser(t, pool), newUser(t, pool)
	var ok, over atomic.Int32
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			_, err := s.Put(context.Background(), alice, bytes.NewReader(img))
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrQuotaExceeded):
				over.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 2 || over.Load() != 3 {
		t.Fatalf("%d stored, %d over the quota; want 2 and 3", ok.Load(), over.Load())
	}
	var rows int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM uploads WHERE owner_id = $1`, alice.UserID).Scan(&rows); err != nil || rows != 2 {
		t.Fatalf("alice's rows: %d, %v", rows, err)
	}
	_, err = s.Put(context.Background(), alice, bytes.NewReader(uploadtest.PNG(t, uploadtest.Image(8, 8))))
	if !errors.Is(err, ErrQuotaExceeded) || !strings.Contains(err.Error(), "bytes") {
		t.Fatalf("a full account: %v", err)
	}
	if _, err := s.Put(context.Background(), bob, bytes.NewReader(img)); err != nil {
		t.Fatalf("bob's first upload: %v", err)
	}
	bad := DefaultConfig()
	for _, c := range []func(*Config){func(c *Config) { c.Queue = -1 }, func(c *Config) { c.QueueWait = 0 },
		func(c *Config) { c.QuotaBytes = -1 }, func(c *Config) { c.Workers = 0 },
		func(c *Config) { c.PerAccount = 0 }, func(c *Config) { c.BodyTimeout = 0 }} {
		x := bad
		c(&x)
		if x.Validate() == nil {
			t.Errorf("%+v accepted", x)
		}
	}
}

// TestProgressiveJPEGsCountTheirBytes: a JPEG's frame header says how much its decoding takes: a
// progressive one keeps every coefficient (4 bytes a pixel a component), a CMYK one is converted
// once more, a lossless WebP goes through 8 bytes a pixel. A header claiming what would pass the
// pixel cap but not the memory cap (a few-byte file of 6300² progressive pixels: ~600 MB) is
// refused before decoding, allocating almost nothing; the same pixels of a baseline JPEG pass the
// check (and fail later, having no data); real progressive JPEGs of modest size are taken, and what
// decoding them allocates stays within the estimate.
func TestProgressiveJPEGsCountTheirBytes(t *testing.T) {
	s, pool, _ := newService(t) // 40 MP: 160 MB
	who := newUser(t, pool)
	put := func(data []byte) (*Upload, error) { return s.Put(context.Background(), who, bytes.NewReader(data)) }
	c := func(id, h, v byte) uploadtest.JPEGComp { return uploadtest.JPEGComp{ID: id, H: h, V: v} }
	full := []uploadtest.JPEGComp{c(1, 1, 1), c(2, 1, 1), c(3, 1, 1)}
	sub := []uploadtest.JPEGComp{c(1, 2, 2), c(2, 1, 1), c(3, 1, 1)}
	grey := []uploadtest.JPEGComp{c(1, 1, 1)}
	cmyk := []uploadtest.JPEGComp{c(1, 1, 1), c(2, 1, 1), c(3, 1, 1), c(4, 1, 1)}
	for _, b := range []struct {
		name string
		data []byte
	}{
		{"progressive 4:4:4 6300²", uploadtest.BombJPEG(6300, 6300, true, full...)},
		{"progressive 4:2:0 6300²", uploadtest.BombJPEG(6300, 6300, true, sub...)},
		{"progressive grey 6300²", uploadtest.BombJPEG(6300, 6300, true, grey...)},
		{"baseline CMYK 6300²", uploadtest.BombJPEG(6300, 6300, false, cmyk...)},
		{"progressive CMYK 4000²", uploadtest.BombJPEG(4000, 4000, true, cmyk...)},
		{"baseline RGB 6300²", withoutJFIF(uploadtest.BombJPEG(6300, 6300, false, c('R', 1, 1), c('G', 1, 1), c('B', 1, 1)))},
		{"lossless WebP 6000²", uploadtest.BombWebP(6000, 6000)},
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := put(b.data)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooManyPixels) {
			t.Errorf("%s (%d bytes): %v, want ErrTooManyPixels", b.name, len(b.data), err)
		}
		if d := after.TotalAlloc - before.TotalAlloc; d > 8<<20 {
			t.Errorf("%s: refusing it allocated %d bytes: it was decoded", b.name, d)
		}
	}
	for name, data := range map[string][]byte{
		"baseline 4:2:0 6300²": uploadtest.BombJPEG(6300, 6300, false, sub...),
		"baseline CMYK 4000²":  uploadtest.BombJPEG(4000, 4000, false, cmyk...),
		"lossless WebP 300²":   uploadtest.BombWebP(300, 300),
	} {
		if _, err := put(data); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want it past the memory check and then ErrCorrupt (no image data)", name, err)
		}
	}
	for _, name := range []string{"progressive-420.jpg", "progressive-444.jpg", "progressive-grey.jpg"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		f, err := parseJPEGFrame(data)
		if err != nil || !f.progressive {
			t.Fatalf("%s: %+v, %v: not a progressive JPEG", name, f, err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		img, err := jpeg.Decode(bytes.NewReader(data))
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		px := int64(img.Bounds().Dx() * img.Bounds().Dy())
		used, est := int64(after.TotalAlloc-before.TotalAlloc), jpegDecodedBytes(f)
		if used > est {
			t.Errorf("%s: decoding allocated %d bytes (%.1f a pixel), the estimate is %d", name, used, float64(used)/float64(px), est)
		}
		if old := px * bytesPerPixel(color.YCbCrModel); name != "progressive-grey.jpg" && used <= old {
			t.Errorf("%s: decoding allocated %d bytes, no more than the pixels' %d: the test shows nothing", name, used, old)
		}
		u, err := put(data)
		if err != nil || u.ContentType != "image/jpeg" || u.Width != 256 || u.Height != 192 {
			t.Fatalf("%s: %+v, %v", name, u, err)
		}
	}
}

// withoutJFIF drops the JFIF APP0 segment BombJPEG writes (image/jpeg takes a JFIF file as
// YCbCr), and puts a scan header before the EOI (without JFIF, DecodeConfig reads up to it).
func withoutJFIF(data []byte) []byte {
	out := append([]byte{}, data[:2]...)
	out = append(out, data[2+2+16:len(data)-2]...)
	return append(out, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0xff, 0xd9)
}

// TestSlowBodiesHoldOnlyTheirAccountsPlace: a body trickling in holds no place in the decode
// queue, so with one decode and no queue another account's uploads still go through while two of
// alice's bodies hang; alice's third upload at once is ErrTooManyAtOnce before its body is read;
// when her bodies end they are stored, and her places are free again.
func TestSlowBodiesHoldOnlyTheirAccountsPlace(t *testing.T) {
	pool := dbtest.Pool(t)
	cfg := DefaultConfig()
	cfg.Workers, cfg.Queue, cfg.PerAccount = 1, 0, 2
	s := New(pool, Disk{Root: t.TempDir()}, cfg)
	alice, bob := newUser(t, pool), newUser(t, pool)
	png := uploadtest.PNG(t, uploadtest.Image(64, 48))
	ctx := context.Background()

	type slow struct {
		w    *io.PipeWriter
		done chan error
	}
	var bodies []slow
	for range 2 {
		pr, pw := io.Pipe()
		b := slow{w: pw, done: make(chan error, 1)}
		go func() {
			_, err := s.Put(ctx, alice, pr)
			b.done <- err
		}()
		if _, err := pw.Write(png[:20]); err != nil { // a few bytes, then nothing
			t.Fatal(err)
		}
		bodies = append(bodies, b)
	}
	inFlight := func(u Caller) int {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.inFlight[u.UserID]
	}
	for deadline := time.Now().Add(10 * time.Second); inFlight(alice) < 2; {
		if time.Now().After(deadline) {
			t.Fatal("alice's slow uploads never started")
		}
		runtime.Gosched()
	}
	body := &readWatcher{r: bytes.NewReader(png)}
	if _, err := s.Put(ctx, alice, body); !errors.Is(err, ErrTooManyAtOnce) || body.read.Load() {
		t.Fatalf("alice's third at once: %v (body read: %v), want ErrTooManyAtOnce before reading", err, body.read.Load())
	}
	for i := range 3 {
		if _, err := s.Put(ctx, bob, bytes.NewReader(png)); err != nil {
			t.Fatalf("bob's upload %d while alice's bodies trickle: %v", i, err)
		}
	}
	for _, b := range bodies {
		if _, err := b.w.Write(png[20:]); err != nil {
			t.Fatal(err)
		}
		_ = b.w.Close()
		if err := <-b.done; err != nil {
			t.Fatalf("alice's slow upload, once its body came: %v", err)
		}
	}
	if n := inFlight(alice); n != 0 || len(s.admit) != 0 || len(s.sem) != 0 {
		t.Fatalf("places held after the uploads: alice %d, %d admitted, %d decoding", n, len(s.admit), len(s.sem))
	}
	if _, err := s.Put(ctx, alice, bytes.NewReader(png)); err != nil {
		t.Fatalf("alice's next upload: %v", err)
	}
}

// readWatcher is a body that says whether anything read it.
type readWatcher struct {
	read atomic.Bool
	r    *bytes.Reader
}

func (w *readWatcher) Read(p []byte) (int, error) { w.read.Store(true); return w.r.Read(p) }
