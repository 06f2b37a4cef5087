package upload

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// The types an upload may be, as sniffed from its first bytes, and what each is stored as. WebP
// is decoded (x/image/webp) and stored as PNG: lossless, it keeps transparency, and every browser
// and mail client shows it.
var formats = map[string]struct {
	decodeConfig func(io.Reader) (image.Config, error)
	decode       func(io.Reader) (image.Image, error)
	storedAs     string
}{
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode, "image/jpeg"},
	"image/png":  {png.DecodeConfig, png.Decode, "image/png"},
	"image/webp": {webp.DecodeConfig, webp.Decode, "image/png"},
}

// jpegQuality is the re-encoded JPEGs' quality.
const jpegQuality = 85

// encoded is one stored copy of an image.
type encoded struct {
	name          string
	data          []byte
	width, height int
	contentType   string
}

// sniff returns the type of data from its bytes (http.DetectContentType, the WHATWG algorithm),
// ErrUnsupportedType unless it is an image of one of the formats.
func sniff(data []byte) (string, error) {
	t := http.DetectContentType(data)
	if _, ok := formats[t]; !ok {
		return "", fmt.Errorf("%w: the file is %s; send a JPEG, PNG or WebP image", ErrUnsupportedType, t)
	}
	return t, nil
}

// process checks, decodes and re-encodes an image: the full-size copy first, then one per size
// smaller than the image (never enlarged), smallest first. The pixel count is read from the header
// and refused above maxPixels before anything is decoded.
func process(data []byte, maxPixels int64, sizes []Size) ([]encoded, error) {
	t, err := sniff(data)
	if err != nil {
		return nil, err
	}
	f := formats[t]
	cfg, err := f.decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %s header: %v", ErrCorrupt, t, err)
	}
	need, err := decodedBytes(t, data, cfg)
	if err != nil {
		return nil, err
	}
	if err := fits(cfg, need, maxPixels); err != nil {
		return nil, err
	}
	img, err := f.decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, t, err)
	}
	b := img.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, fmt.Errorf("%w: the header says %d×%d, the image is %d×%d", ErrCorrupt, cfg.Width, cfg.Height, b.Dx(), b.Dy())
	}
	full, err := encode("original", img, f.storedAs)
	if err != nil {
		return nil, err
	}
	out := []encoded{full}
	for _, s := range sizes {
		if b.Dx() <= s.Max && b.Dy() <= s.Max {
			continue
		}
		e, err := encode(s.Name, resize(img, s.Max), f.storedAs)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// fits refuses an image, from its header, that has more than maxPixels pixels or whose decoding
// would take more than maxPixels × 4 bytes (need, from decodedBytes).
func fits(cfg image.Config, need, maxPixels int64) error {
	px := int64(cfg.Width) * int64(cfg.Height) // both below 2³¹: no overflow
	if cfg.Width <= 0 || cfg.Height <= 0 || px > maxPixels {
		return fmt.Errorf("%w: %d×%d pixels, at most %d", ErrTooManyPixels, cfg.Width, cfg.Height, maxPixels)
	}
	if need > maxPixels*4 {
		return fmt.Errorf("%w: %d×%d pixels take %d bytes to decode in this format, at most %d",
			ErrTooManyPixels, cfg.Width, cfg.Height, need, maxPixels*4)
	}
	return nil
}

// webpBytesPerPixel is what a WebP takes to decode, a pixel: a lossless one (VP8L) decodes to
// NRGBA through a buffer of ARGB words, about 8 bytes; a lossy one less. Counted as the lossless.
const webpBytesPerPixel = 8

// decodedBytes is how many bytes decoding data (of type t, with header cfg) takes, at most, read
// from the headers only: a PNG its image type's pixels (bytesPerPixel); a JPEG what its frame
// header says (jpegDecodedBytes: progressive and CMYK files take several times their pixels); a
// WebP 8 bytes a pixel.
func decodedBytes(t string, data []byte, cfg image.Config) (int64, error) {
	px := int64(cfg.Width) * int64(cfg.Height)
	switch t {
	case "image/jpeg":
		f, err := parseJPEGFrame(data)
		if err != nil {
			return 0, fmt.Errorf("%w: jpeg header: %v", ErrCorrupt, err)
		}
		if f.width != cfg.Width || f.height != cfg.Height {
			return 0, fmt.Errorf("%w: jpeg header: two frame sizes", ErrCorrupt)
		}
		return jpegDecodedBytes(f), nil
	case "image/webp":
		return px * webpBytesPerPixel, nil
	}
	return px * bytesPerPixel(cfg.ColorModel), nil
}

// bytesPerPixel is what one pixel of an image of model m takes once decoded (the decoders'
// image types: RGBA64 and NRGBA64 for 16-bit PNGs, YCbCr for JPEG and WebP at most 4:4:4). A
// model it does not know counts as the widest, 8.
func bytesPerPixel(m color.Model) int64 {
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel, color.NYCbCrAModel:
		return 4
	}
	return 8
}

// resize scales img to fit a max×max box, keeping its aspect (Catmull-Rom).
func resize(img image.Image, max int) image.Image {
	b := img.Bounds()
	w, h := max, max
	if b.Dx() >= b.Dy() {
		h = max1(int(int64(b.Dy()) * int64(max) / int64(b.Dx())))
	} else {
		w = max1(int(int64(b.Dx()) * int64(max) / int64(b.Dy())))
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// encode writes img as contentType. Encoding from the decoded pixels is what drops EXIF (GPS
// included), ICC profiles, comments and any bytes appended to the upload: none of it is pixels.
func encode(name string, img image.Image, contentType string) (encoded, error) {
	var buf bytes.Buffer
	var err error
	if contentType == "image/jpeg" {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	}
	if err != nil {
		return encoded{}, fmt.Errorf("upload: encoding %s: %w", contentType, err)
	}
	b := img.Bounds()
	return encoded{name: name, data: buf.Bytes(), width: b.Dx(), height: b.Dy(), contentType: contentType}, nil
}
