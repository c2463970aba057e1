package main

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// The fake shop compresses as the shop does: zstd when the request's Accept-Encoding
// lists it, else gzip when it lists that, else nothing. Unlike the shop it compresses
// every non-empty body however small, so that redirects and tiny pages are decoded too,
// and it tallies what it sent, so tests can compare loadgen's byte counts with the
// bytes that really crossed the wire. Its gzip is the standard library's, not the
// package loadgen decodes with.

// fakeTally is what the fake shop sent under one path section to one Accept-Encoding.
type fakeTally struct {
	answers int
	wire    int64          // body bytes sent
	plain   int64          // the same bodies before encoding
	encoded map[string]int // Content-Encoding sent ("" for none) -> answers
}

// tally returns a copy of what the fake shop sent under /<section>/ to requests whose
// Accept-Encoding was accept ("" for none).
func (s *fakeShop) tally(section, accept string) fakeTally {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.sent[section][accept]
	if t == nil {
		return fakeTally{encoded: map[string]int{}}
	}
	c := *t
	c.encoded = map[string]int{}
	for k, v := range t.encoded {
		c.encoded[k] = v
	}
	return c
}

// accepts returns the Accept-Encoding values the fake shop saw under /<section>/.
func (s *fakeShop) accepts(section string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, t := range s.sent[section] {
		out[k] = t.answers
	}
	return out
}

// bufferedAnswer holds a handler's answer until the middleware has encoded it; headers
// go straight to the real writer, which sends nothing before the middleware writes.
type bufferedAnswer struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (b *bufferedAnswer) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedAnswer) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

var (
	fakeZstd = sync.OnceValue(func() *zstd.Encoder {
		e, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
		if err != nil {
			panic(err)
		}
		return e
	})
	fakeGzips = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}
)

// listsEncoding reports whether an Accept-Encoding value accepts enc (q=0 refuses it).
func listsEncoding(accept, enc string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		name, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		v, ok := strings.CutPrefix(strings.TrimSpace(params), "q=")
		if !ok {
			return true
		}
		q, err := strconv.ParseFloat(v, 64)
		return err == nil && q > 0
	}
	return false
}

func (s *fakeShop) compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := &bufferedAnswer{ResponseWriter: w}
		next.ServeHTTP(buf, r)
		plain := buf.body.Bytes()
		accept := r.Header.Get("Accept-Encoding")
		enc := ""
		switch {
		case listsEncoding(accept, "zstd"):
			enc = "zstd"
		case listsEncoding(accept, "gzip"):
			enc = "gzip"
		case s.compressUnasked != "":
			enc = s.compressUnasked
		}
		h := w.Header()
		if len(plain) > 0 && h.Get("Content-Type") == "" {
			// Sniffed from the HTML, as net/http would, not from the encoded bytes.
			h.Set("Content-Type", http.DetectContentType(plain))
		}
		body, label := plain, enc
		switch {
		case len(plain) == 0:
			label = ""
		case s.mislabel != "" && listsEncoding(accept, s.mislabel):
			label = s.mislabel // the plain body under an encoding loadgen must not trust
		case enc == "zstd":
			body = fakeZstd().EncodeAll(plain, nil)
		case enc == "gzip":
			var out bytes.Buffer
			gz := fakeGzips.Get().(*gzip.Writer)
			gz.Reset(&out)
			_, err := gz.Write(plain)
			if err == nil {
				err = gz.Close()
			}
			fakeGzips.Put(gz)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			body = out.Bytes()
		}
		h.Add("Vary", "Accept-Encoding")
		if label != "" {
			h.Set("Content-Encoding", label)
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))

		section, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		s.mu.Lock()
		if s.sent[section] == nil {
			s.sent[section] = map[string]*fakeTally{}
		}
		t := s.sent[section][accept]
		if t == nil {
			t = &fakeTally{encoded: map[string]int{}}
			s.sent[section][accept] = t
		}
		t.answers++
		t.wire += int64(len(body))
		t.plain += int64(len(plain))
		t.encoded[label]++
		s.mu.Unlock()

		status := buf.status
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
		w.Write(body)
	})
}
