package main

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/require"
)

func gzipped(t *testing.T, plain string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write([]byte(plain))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

func zstded(t *testing.T, plain string) []byte {
	t.Helper()
	e, err := zstd.NewWriter(nil)
	require.NoError(t, err)
	defer e.Close()
	return e.EncodeAll([]byte(plain), nil)
}

func TestDecoder(t *testing.T) {
	t.Parallel()

	page := func(i int) string {
		return strings.Repeat(`<tr data-testid="cart-line">`, 50) + strings.Repeat("é", i)
	}

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		var d decoder
		defer d.close()
		// One decoder, reused across encodings and answers of different sizes, as a
		// client of the engine uses its own.
		for i := range 6 {
			want := page(i * 100)
			var enc string
			var wire []byte
			switch i % 3 {
			case 0:
				enc, wire = "gzip", gzipped(t, want)
			case 1:
				enc, wire = "zstd", zstded(t, want)
			default:
				enc, wire = "", []byte(want)
			}
			got, err := d.decode(enc, wire)
			require.NoError(t, err, "answer %d (%q)", i, enc)
			require.Equal(t, want, string(got), "answer %d (%q)", i, enc)
		}
		for _, enc := range []string{" GZIP ", "x-gzip"} {
			got, err := d.decode(enc, gzipped(t, "<p>hi</p>"))
			require.NoError(t, err, enc)
			require.Equal(t, "<p>hi</p>", string(got), enc)
		}
		got, err := d.decode("identity", []byte("<p>as is</p>"))
		require.NoError(t, err)
		require.Equal(t, "<p>as is</p>", string(got))
		got, err = d.decode("gzip", nil)
		require.NoError(t, err, "a redirect's empty body has nothing to decode")
		require.Empty(t, got)
	})

	t.Run("ErrUnknownOrCorrupt", func(t *testing.T) {
		t.Parallel()
		var d decoder
		defer d.close()
		for enc, want := range map[string]string{
			"br":      `unknown Content-Encoding "br"`,
			"deflate": `unknown Content-Encoding "deflate"`,
			"gzip":    "decode gzip",
			"zstd":    "decode zstd",
		} {
			_, err := d.decode(enc, []byte("<!DOCTYPE html><p>not encoded at all</p>"))
			require.ErrorContains(t, err, want, enc)
		}
		// A truncated stream fails its checksum or its length, not silently short.
		wire := gzipped(t, page(500))
		_, err := d.decode("gzip", wire[:len(wire)-4])
		require.ErrorContains(t, err, "decode gzip")
		// The decoder still works after a failure.
		got, err := d.decode("gzip", gzipped(t, "<p>again</p>"))
		require.NoError(t, err)
		require.Equal(t, "<p>again</p>", string(got))
	})

	t.Run("DecodeBodyOwnsItsMemory", func(t *testing.T) {
		t.Parallel()
		// Discovery keeps the pages it decoded while it decodes more with pooled decoders.
		first, err := decodeBody("zstd", zstded(t, page(10)))
		require.NoError(t, err)
		for range 4 {
			_, err := decodeBody("zstd", zstded(t, page(300)))
			require.NoError(t, err)
			_, err = decodeBody("gzip", gzipped(t, page(300)))
			require.NoError(t, err)
		}
		require.Equal(t, page(10), string(first))
		raw := []byte("<p>plain</p>")
		got, err := decodeBody("", raw)
		require.NoError(t, err)
		require.Equal(t, raw, got)
		_, err = decodeBody("br", raw)
		require.ErrorContains(t, err, `unknown Content-Encoding "br"`)
	})
}

// TestAcceptEncoding runs loadgen against the fake shop, which compresses as the shop
// does and tallies what it sent, and compares what loadgen asked for and reported.
func TestAcceptEncoding(t *testing.T) {
	t.Parallel()

	t.Run("OKDefault", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, nil)
		out := t.TempDir()
		// No warm-up and one run: every measured answer is one the shop sent to the
		// measured clients, so their bytes can be compared to the byte.
		code, stdout, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "ceiling,product", "-c", "2",
			"-d", "200ms", "-warmup", "0s", "-runs", "1", "-out", out)
		require.Equal(t, 0, code, "stderr:\n%s", stderr)

		rep := readJSONReport(t, out)
		require.Equal(t, defaultAcceptEncoding, rep.Params.AcceptEncoding)
		require.Regexp(t, `(?m)^encoding\s+asked for gzip, deflate, br, zstd$`, stdout)
		require.Regexp(t, `scenario\s+req/s\s+% ceiling\s+p50\s+p90\s+p99\s+max\s+KB/answer\s+errors`, stdout)

		for i, section := range []string{"static", "p"} {
			r := rep.Scenarios[i]
			require.Zero(t, r.Errors, "%s: %v", r.Name, r.ErrorKinds)
			// The measured requests asked as Chrome does; discovery asked for nothing.
			accepts := shop.accepts(section)
			require.ElementsMatch(t, []string{"", defaultAcceptEncoding}, keys(accepts), r.Name)
			sent := shop.tally(section, defaultAcceptEncoding)
			require.Equal(t, map[string]int{"zstd": sent.answers}, sent.encoded, r.Name)
			require.Equal(t, sent.answers, r.Runs[0].Requests, r.Name)
			// The bytes reported are those that crossed the wire, not the HTML decoded.
			require.Equal(t, sent.wire, r.Runs[0].WireBytes, r.Name)
			want := float64(sent.wire) / float64(sent.answers)
			require.InDelta(t, want, r.WireBytesPerAnswer, 1e-9, r.Name)
			require.InDelta(t, want, r.Runs[0].WireBytesPerAnswer, 1e-9, r.Name)
			require.Less(t, sent.wire, sent.plain, "%s: the fake shop compressed", r.Name)
		}
		// 20 KB of one letter is a few dozen bytes of zstd: the table shows it as such.
		require.Less(t, rep.Scenarios[0].WireBytesPerAnswer, 200.0)
		require.Regexp(t, `(?m)^ceiling\s+\d+\s+100\.0%(\s+[\d.]+ms){4}\s+0\.\d\d\s+0\s`, stdout)
	})

	t.Run("OKGzipFlows", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, nil)
		out := t.TempDir()
		code, stdout, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "view-cart,checkout", "-c", "2",
			"-d", "300ms", "-warmup", "0s", "-runs", "1", "-out", out, "-accept-encoding", "gzip")
		require.Equal(t, 0, code, "stderr:\n%s", stderr)
		require.Regexp(t, `(?m)^encoding\s+asked for gzip$`, stdout)

		rep := readJSONReport(t, out)
		for _, r := range rep.Scenarios {
			require.Zero(t, r.Errors, "%s: %v", r.Name, r.ErrorKinds)
			require.Positive(t, r.WireBytesPerAnswer, r.Name)
		}
		require.Equal(t, outcomeOrder, rep.Scenarios[1].Outcomes[0].Outcome)
		require.Positive(t, rep.Scenarios[1].Outcomes[0].Total)
		// The pages the flows read were gzipped, and read all the same.
		for _, section := range []string{"cart", "checkout", "orders"} {
			sent := shop.tally(section, "gzip")
			require.Positive(t, sent.encoded["gzip"], section)
			require.Zero(t, sent.encoded["zstd"], section)
		}
		// Both scenarios' answers, cart pages and every step of the orders, are all the
		// shop sent to the measured clients.
		var wire int64
		answers := 0
		for _, r := range rep.Scenarios {
			wire += r.Runs[0].WireBytes
			answers += r.Runs[0].Requests
		}
		var sentWire int64
		sentAnswers := 0
		for _, section := range []string{"cart", "checkout", "pay", "orders"} {
			sent := shop.tally(section, "gzip")
			sentWire += sent.wire
			sentAnswers += sent.answers
		}
		require.Equal(t, sentAnswers, answers)
		require.Equal(t, sentWire, wire)
	})

	t.Run("OKIdentity", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, nil)
		out := t.TempDir()
		code, stdout, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "ceiling,view-cart", "-c", "2",
			"-d", "200ms", "-warmup", "0s", "-runs", "1", "-out", out, "-accept-encoding", "identity")
		require.Equal(t, 0, code, "stderr:\n%s", stderr)
		require.Regexp(t, `(?m)^encoding\s+asked for identity$`, stdout)

		rep := readJSONReport(t, out)
		require.Equal(t, "identity", rep.Params.AcceptEncoding)
		r := rep.Scenarios[0]
		require.Zero(t, r.Errors, "%v", r.ErrorKinds)
		sent := shop.tally("static", "identity")
		require.Equal(t, map[string]int{"": sent.answers}, sent.encoded, "plain bytes")
		require.Equal(t, sent.answers, r.Runs[0].Requests)
		require.Equal(t, sent.plain, r.Runs[0].WireBytes)
		require.Greater(t, r.WireBytesPerAnswer, 20*1024.0, "the ceiling page's 20 KB, uncompressed")
		require.Zero(t, rep.Scenarios[1].Errors, "%v", rep.Scenarios[1].ErrorKinds)
	})

	t.Run("OKNoHeader", func(t *testing.T) {
		t.Parallel()
		shop := newFakeShop(t, nil)
		out := t.TempDir()
		code, stdout, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "home", "-c", "1",
			"-d", "100ms", "-warmup", "0s", "-runs", "1", "-out", out, "-accept-encoding", "")
		require.Equal(t, 0, code, "stderr:\n%s", stderr)
		require.Contains(t, stdout, "none asked for (no Accept-Encoding)")
		require.Equal(t, []string{""}, keys(shop.accepts("")))
		require.Empty(t, readJSONReport(t, out).Params.AcceptEncoding)
	})

	t.Run("OKServerCompressesUnasked", func(t *testing.T) {
		t.Parallel()
		// A server that compresses whatever the client says: discovery (sitemap, product
		// pages read for words and forms), the probes, the back office and the edited
		// titles' checks read decoded pages all the same.
		shop := newFakeShop(t, func(s *fakeShop) { s.compressUnasked = "zstd" })
		out := t.TempDir()
		code, _, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "search,add-to-cart,edit,checkout", "-c", "2",
			"-d", "300ms", "-warmup", "0s", "-runs", "1", "-out", out, "-staff-email", fakeStaffEmail, "-edit-rate", "20")
		require.Equal(t, 0, code, "stderr:\n%s", stderr)
		rep := readJSONReport(t, out)
		for _, r := range rep.Scenarios {
			require.Zero(t, r.Errors, "%s: %v", r.Name, r.ErrorKinds)
		}
		e := rep.Scenarios[2].Edits
		require.Zero(t, e.Errors, "%v", e.ErrorKinds)
		require.Positive(t, e.Checked)
		require.Zero(t, e.NotVisible)
		for _, section := range []string{"sitemap.xml", "p", "admin"} {
			require.Positive(t, shop.tally(section, "").encoded["zstd"], "%s was compressed unasked", section)
		}
	})

	t.Run("ErrMislabelled", func(t *testing.T) {
		t.Parallel()
		for enc, want := range map[string]string{"br": `unknown Content-Encoding "br"`, "gzip": "decode gzip"} {
			shop := newFakeShop(t, func(s *fakeShop) { s.mislabel = enc })
			out := t.TempDir()
			code, _, stderr := runLoadgen(t, "-base", shop.URL, "-scenarios", "product,view-cart", "-c", "2",
				"-d", "150ms", "-warmup", "0s", "-runs", "1", "-out", out)
			require.Equal(t, 0, code, "%s: stderr:\n%s", enc, stderr)
			rep := readJSONReport(t, out)
			// Product pages are judged by their status: never decoded, so a body that
			// cannot be decoded passes.
			product := rep.Scenarios[0]
			require.Zero(t, product.Errors, "%s: %v", enc, product.ErrorKinds)
			require.Positive(t, shop.tally("p", defaultAcceptEncoding).encoded[enc], enc)
			// The cart is read: a body it cannot decode is an error, not an empty cart.
			cart := rep.Scenarios[1]
			require.Positive(t, cart.Errors, enc)
			require.Len(t, cart.ErrorKinds, 1, "%s: %v", enc, cart.ErrorKinds)
			for kind := range cart.ErrorKinds {
				require.Contains(t, kind, want, enc)
			}
		}
	})
}

func keys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestReportWireBytes(t *testing.T) {
	t.Parallel()
	rep := &report{
		Params: params{Conns: 64, Runs: 1, AcceptEncoding: defaultAcceptEncoding},
		Scenarios: []scenarioResult{
			{Name: "category", ReqPerSec: 900, WireBytesPerAnswer: 5555, Runs: []runResult{{Requests: 9000}}},
			{Name: "ceiling", ReqPerSec: 20000, WireBytesPerAnswer: 48438, Runs: []runResult{{Requests: 200000}}},
			{Name: "home", Runs: []runResult{{}}},
		},
	}
	var b strings.Builder
	require.NoError(t, rep.writeText(&b))
	text := b.String()
	require.Regexp(t, `(?m)^encoding\s+asked for gzip, deflate, br, zstd$`, text)
	require.Regexp(t, `(?m)^category\s+900\s+-(\s+[\d.]+ms){4}\s+5\.42\s+0\s`, text)
	require.Regexp(t, `(?m)^ceiling\s+20000\s+-(\s+[\d.]+ms){4}\s+47\.3\s+0\s`, text)
	require.Regexp(t, `(?m)^home\s+0\s+-(\s+[\d.]+ms){4}\s+-\s+0\s`, text, "no answer, no mean")
}
