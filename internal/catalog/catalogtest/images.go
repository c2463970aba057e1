// Package catalogtest holds fixtures that tests of the catalog and of other packages
// may use.
package catalogtest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// OneColourPNG is a valid w×h PNG of a single colour (8-bit RGB). Such a file is tiny
// (117 KB at 6000 × 6000) yet decodes to w×h×4 bytes: the shape of a decompression
// bomb that passes any file-size check. It is written row by row, so making it costs the
// test no more memory than the file.
func OneColourPNG(w, h int) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(data)))
		out.Write(n[:])
		crc := crc32.NewIEEE()
		crc.Write([]byte(kind))
		crc.Write(data)
		out.WriteString(kind)
		out.Write(data)
		binary.BigEndian.PutUint32(n[:], crc.Sum32())
		out.Write(n[:])
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits per sample, RGB
	chunk("IHDR", ihdr)

	row := make([]byte, 1+3*w) // filter type "none", then the pixels
	for x := range w {
		row[1+3*x], row[2+3*x], row[3+3*x] = 200, 30, 30
	}
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression) // a valid level never fails
	for range h {
		_, _ = zw.Write(row) // writes to a bytes.Buffer do not fail
	}
	_ = zw.Close()
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}
