package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// defaultAcceptEncoding is what Chrome sends: the shop is measured as browsers ask for
// its pages, compressed. The shop answers zstd or gzip; deflate and br are listed only
// because browsers list them, and loadgen cannot read them.
const defaultAcceptEncoding = "gzip, deflate, br, zstd"

// decoder turns a body as it crossed the network back into what the server rendered.
// The engine keeps one per client (a client has one answer at a time, so nothing is
// shared) and reuses it: a new gzip or zstd decoder per answer would allocate its
// tables again each time, on CPUs the load generator shares with the server.
type decoder struct {
	src  bytes.Reader
	gz   *gzip.Reader
	zstd *zstd.Decoder
	gout bytes.Buffer
	zout []byte
}

// decode returns body decoded according to encoding, the answer's Content-Encoding. The
// result is body itself when it was not encoded, else memory of the decoder's, valid
// until the next call.
func (d *decoder) decode(encoding string, body []byte) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return body, nil
	case "gzip", "x-gzip":
		if len(body) == 0 {
			return body, nil // a redirect or 204 says its encoding but has nothing to decode
		}
		return d.gunzip(body)
	case "zstd":
		if len(body) == 0 {
			return body, nil
		}
		return d.unzstd(body)
	default:
		// deflate and br are asked for (browsers do) but the shop sends neither; a page
		// that cannot be read cannot be checked.
		return nil, fmt.Errorf("unknown Content-Encoding %q (loadgen decodes gzip and zstd)", encoding)
	}
}

func (d *decoder) gunzip(body []byte) ([]byte, error) {
	d.src.Reset(body)
	if d.gz == nil {
		gz, err := gzip.NewReader(&d.src)
		if err != nil {
			return nil, fmt.Errorf("decode gzip: %w", err)
		}
		d.gz = gz
	} else if err := d.gz.Reset(&d.src); err != nil {
		return nil, fmt.Errorf("decode gzip: %w", err)
	}
	d.gout.Reset()
	// One byte past the cap tells a body at the cap from one beyond it.
	n, err := d.gout.ReadFrom(io.LimitReader(d.gz, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("decode gzip: %w", err)
	}
	if n > maxBody {
		return nil, fmt.Errorf("decode gzip: more than %d MiB decoded", maxBody>>20)
	}
	return d.gout.Bytes(), nil
}

func (d *decoder) unzstd(body []byte) ([]byte, error) {
	if d.zstd == nil {
		// Single-threaded, as a client decodes one answer at a time; the cap keeps a
		// hostile frame from taking the machine's memory.
		z, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxBody))
		if err != nil {
			return nil, fmt.Errorf("decode zstd: %w", err)
		}
		d.zstd = z
	}
	out, err := d.zstd.DecodeAll(body, d.zout[:0])
	if err != nil {
		return nil, fmt.Errorf("decode zstd: %w", err)
	}
	d.zout = out
	return out, nil
}

// close releases the zstd decoder; the decoder is not used after.
func (d *decoder) close() {
	if d.zstd != nil {
		d.zstd.Close()
		d.zstd = nil
	}
}

// decoders serve the requests made outside the measurement (discovery, the probes before
// a flow is timed, the edit scenarios' writer), several at once.
var decoders = sync.Pool{New: func() any { return new(decoder) }}

// decodeBody returns raw, the body of an answer with Content-Encoding encoding, decoded,
// in memory of its own.
func decodeBody(encoding string, raw []byte) ([]byte, error) {
	if e := strings.TrimSpace(encoding); e == "" || strings.EqualFold(e, "identity") {
		return raw, nil
	}
	d := decoders.Get().(*decoder)
	defer decoders.Put(d)
	body, err := d.decode(encoding, raw)
	if err != nil {
		return nil, err
	}
	return bytes.Clone(body), nil
}

// do sends req and returns the answer with its whole body, decoded. Requests outside
// the measurement send no Accept-Encoding, so the server has no reason to compress, but
// one that does anyway is read all the same: discovery must see the HTML.
func do(client *http.Client, req *http.Request) (*http.Response, []byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, nil, err
	}
	body, err := decodeBody(resp.Header.Get("Content-Encoding"), raw)
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}
