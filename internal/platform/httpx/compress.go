package httpx

import (
	"fmt"
	"net/http"

	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
)

// Compress compresses text answers (HTML, CSS, JavaScript, JSON, SVG, XML, CSV) for
// clients that accept it: zstd where they say so (current Chrome, Edge and Firefox),
// gzip for the rest. A category page's 100 KB of HTML crosses the network as about a
// tenth of that, which is most of what a phone on a slow connection waits for. Answers
// under 1 KB, images and anything already encoded (the precompressed static files) pass
// untouched; every answer says Vary: Accept-Encoding so caches keep the variants apart.
//
// gzhttp (github.com/klauspost/compress) is used rather than a hand-written wrapper: it
// negotiates q-values, keeps ETags and Range requests correct for encoded bodies, holds
// back small answers until it knows their size, and pools its encoders, and its gzip
// and zstd are several times faster than compress/gzip at the same ratio.
func Compress() (func(http.Handler) http.Handler, error) {
	wrap, err := gzhttp.NewWrapper(
		// Level 1 gzip still takes a category page to about an eighth (HTML repeats
		// itself); higher levels cost CPU that the page rendering needs under load for a
		// few percent fewer bytes. zstd's fastest level compresses better than that.
		gzhttp.CompressionLevel(gzip.BestSpeed),
		gzhttp.ZstdCompressionLevel(1),
	)
	if err != nil {
		return nil, fmt.Errorf("httpx: compression: %w", err)
	}
	return func(next http.Handler) http.Handler { return wrap(next) }, nil
}
