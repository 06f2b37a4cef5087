package upload

import (
	"bytes"
	"errors"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/upload/uploadtest"
)

// FuzzProcess: no input makes image processing panic or fail with anything but an invalid-kind
// error (a 400 to the sender), and what it accepts decodes back at the sizes it reports.
func FuzzProcess(f *testing.F) {
	webp, err := os.ReadFile(filepath.Join("testdata", "tiny.webp"))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{uploadtest.PNG(f, uploadtest.Image(9, 7)), uploadtest.JPEG(f, uploadtest.Image(12, 5)), uploadtest.WithGPS(uploadtest.JPEG(f, uploadtest.Image(4, 4))),
		uploadtest.BombPNG(100_000, 100_000), webp, []byte("<?php echo 1;"), {0xff, 0xd8, 0xff}} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := process(data, 1_000_000, []Size{{"thumb", 16}})
		if err != nil {
			if !errors.Is(err, kind.Invalid) {
				t.Fatalf("%v is not an invalid-kind error", err)
			}
			return
		}
		for _, e := range out {
			cfg, _, err := image.DecodeConfig(bytes.NewReader(e.data))
			if err != nil || cfg.Width != e.width || cfg.Height != e.height || e.name == "thumb" && max(e.width, e.height) > 16 {
				t.Fatalf("%s: %v %d×%d, reported %d×%d", e.name, err, cfg.Width, cfg.Height, e.width, e.height)
			}
		}
	})
}
