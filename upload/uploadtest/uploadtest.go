// Package uploadtest makes the images the upload tests need: plain ones, a JPEG carrying EXIF GPS
// data, and a decompression bomb (a tiny PNG claiming huge dimensions). Tests only.
package uploadtest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// Image is a w×h gradient.
func Image(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	return img
}

// PNG encodes img as PNG.
func PNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// JPEG encodes img as JPEG.
func JPEG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// WithGPS inserts an EXIF APP1 segment right after a JPEG's SOI: a big-endian TIFF whose IFD0
// points to a GPS IFD with latitude 35°41'N and longitude 51°25'E (Tehran).
func WithGPS(jpg []byte) []byte {
	var tiff bytes.Buffer
	be := binary.BigEndian
	tiff.WriteString("MM\x00\x2a")
	_ = binary.Write(&tiff, be, uint32(8))
	// IFD0: one entry, GPSInfo (0x8825, LONG) → offset 26.
	_ = binary.Write(&tiff, be, uint16(1))
	_ = binary.Write(&tiff, be, []uint16{0x8825, 4})
	_ = binary.Write(&tiff, be, []uint32{1, 26})
	_ = binary.Write(&tiff, be, uint32(0))
	// GPS IFD at 26: four entries; the rationals follow at 26 + 2 + 4*12 + 4 = 80.
	_ = binary.Write(&tiff, be, uint16(4))
	entry := func(tag, typ uint16, count, value uint32) {
		_ = binary.Write(&tiff, be, []uint16{tag, typ})
		_ = binary.Write(&tiff, be, []uint32{count, value})
	}
	entry(1, 2, 2, 'N'<<24) // GPSLatitudeRef "N"
	entry(2, 5, 3, 80)      // GPSLatitude
	entry(3, 2, 2, 'E'<<24) // GPSLongitudeRef "E"
	entry(4, 5, 3, 80+24)   // GPSLongitude
	_ = binary.Write(&tiff, be, uint32(0))
	_ = binary.Write(&tiff, be, []uint32{35, 1, 41, 1, 0, 1, 51, 1, 25, 1, 0, 1})
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xff, 0xe1, 0, 0}
	be.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// BombPNG is a valid PNG header claiming w×h pixels, with a few bytes of image data.
func BombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := append([]byte(typ), data...)
		b.Write(c)
		_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(c))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// JPEGComp is one component of a JPEG frame header: its id and sampling factors.
type JPEGComp struct{ ID, H, V byte }

// BombJPEG is a JPEG's headers only (SOI, a JFIF APP0, a frame header and EOI) claiming w×h
// pixels of comps: progressive (SOF2) or baseline (SOF0). image/jpeg reads its size and colour
// model from it; decoding it fails, after whatever the decoder allocated first.
func BombJPEG(w, h uint16, progressive bool, comps ...JPEGComp) []byte {
	var b bytes.Buffer
	b.Write([]byte{0xff, 0xd8})
	b.Write([]byte{0xff, 0xe0, 0, 16})
	b.WriteString("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	sof := byte(0xc0)
	if progressive {
		sof = 0xc2
	}
	b.Write([]byte{0xff, sof})
	_ = binary.Write(&b, binary.BigEndian, uint16(8+3*len(comps)))
	b.WriteByte(8)
	_ = binary.Write(&b, binary.BigEndian, []uint16{h, w})
	b.WriteByte(byte(len(comps)))
	for _, c := range comps {
		b.Write([]byte{c.ID, c.H<<4 | c.V, 0})
	}
	b.Write([]byte{0xff, 0xd9})
	return b.Bytes()
}

// BombWebP is a lossless WebP's (VP8L) header claiming w×h pixels (each at most 16384), with no
// image data.
func BombWebP(w, h uint32) []byte {
	hdr := make([]byte, 5)
	hdr[0] = 0x2f                       // the VP8L signature
	bits := (w - 1) | (h-1)<<14 | 1<<28 // alpha used, version 0
	binary.LittleEndian.PutUint32(hdr[1:], bits)
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(4+8+len(hdr)+1))
	b.WriteString("WEBPVP8L")
	_ = binary.Write(&b, binary.LittleEndian, uint32(len(hdr)))
	b.Write(hdr)
	b.WriteByte(0) // padding to an even size
	return b.Bytes()
}
