package upload

import (
	"encoding/binary"
	"errors"
)

// jpegFrame is what a JPEG's header says about the memory its decoding takes: the frame (SOFn)
// marker's kind and components, and whether the file is RGB rather than YCbCr (as image/jpeg
// decides it: no JFIF segment, and an Adobe segment saying "unknown" or components named R, G, B).
type jpegFrame struct {
	progressive   bool
	width, height int
	comps         []jpegComp
	jfif          bool
	adobeRGB      bool
}

type jpegComp struct {
	id, h, v int
}

var errNoFrame = errors.New("no frame header before the image data")

// parseJPEGFrame walks a JPEG's markers up to its frame header (SOFn), reading only headers.
func parseJPEGFrame(data []byte) (jpegFrame, error) {
	var f jpegFrame
	if len(data) < 2 || data[0] != 0xff || data[1] != 0xd8 {
		return f, errors.New("no start of image")
	}
	i := 2
	for {
		for i < len(data) && data[i] != 0xff { // image/jpeg skips stray bytes between segments too
			i++
		}
		for i < len(data) && data[i] == 0xff { // fill bytes
			i++
		}
		if i >= len(data) {
			return f, errNoFrame
		}
		marker := data[i]
		i++
		if marker == 0x01 || marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7) { // no length
			continue
		}
		if marker == 0xd9 || marker == 0xda { // EOI, SOS
			return f, errNoFrame
		}
		if i+2 > len(data) {
			return f, errNoFrame
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return f, errors.New("a segment runs past the end of the file")
		}
		seg := data[i+2 : i+n]
		i += n
		switch {
		case marker == 0xe0: // APP0
			if len(seg) >= 5 && string(seg[:5]) == "JFIF\x00" {
				f.jfif = true
			}
		case marker == 0xee: // APP14
			if len(seg) >= 12 && string(seg[:5]) == "Adobe" {
				f.adobeRGB = seg[11] == 0
			}
		case marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc: // SOFn
			if len(seg) < 6 {
				return f, errors.New("short frame header")
			}
			f.progressive = marker != 0xc0 && marker != 0xc1 // SOF2 (and the kinds image/jpeg refuses anyway)
			f.height, f.width = int(binary.BigEndian.Uint16(seg[1:])), int(binary.BigEndian.Uint16(seg[3:]))
			nf := int(seg[5])
			if nf == 0 || len(seg) < 6+3*nf {
				return f, errors.New("short frame header")
			}
			for c := range nf {
				b := seg[6+3*c:]
				f.comps = append(f.comps, jpegComp{id: int(b[0]), h: max(int(b[1]>>4), 1), v: max(int(b[1]&15), 1)})
			}
			return f, nil
		}
	}
}

// jpegDecodedBytes is what image/jpeg allocates, at most, to decode a frame f: one plane per
// component (at its sampling), then
//   - progressive: every coefficient of every block kept until the last scan, a [64]int32 per
//     8×8 block per component: 4 bytes a pixel a component;
//   - 4 components (CMYK, YCCK): the planes are converted to an image.CMYK, 4 bytes a pixel more;
//   - RGB (3 components, not JFIF, Adobe "unknown" or named R, G, B): converted to an
//     image.RGBA, 4 bytes a pixel more;
//
// and 1 byte a pixel of working room (re-encoding, rounding). Dimensions are rounded up to whole
// MCUs, as the decoder does. Measured with runtime.MemStats: baseline colour 4.1 bytes a pixel,
// progressive 4:2:0 9.8, progressive 4:4:4 16.8, progressive grey 6.2, CMYK 9.4, progressive
// CMYK 24 (docs/uploads.md).
func jpegDecodedBytes(f jpegFrame) int64 {
	hmax, vmax := 1, 1
	for _, c := range f.comps {
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
	}
	mcuW, mcuH := int64(8*hmax), int64(8*vmax)
	w := (int64(f.width) + mcuW - 1) / mcuW * mcuW
	h := (int64(f.height) + mcuH - 1) / mcuH * mcuH
	px := w * h
	var planes int64 // bytes of the components' planes, at their sampling
	for _, c := range f.comps {
		planes += px * int64(c.h*c.v) / int64(hmax*vmax)
	}
	total := planes + px // the planes and the working room
	if f.progressive {
		total += 4 * planes // a 256-byte block of coefficients per 64 bytes of a plane
	}
	switch {
	case len(f.comps) == 4:
		total += 4 * px
	case len(f.comps) == 3 && !f.jfif && (f.adobeRGB || f.comps[0].id == 'R' && f.comps[1].id == 'G' && f.comps[2].id == 'B'):
		total += 4 * px
	}
	return total
}
