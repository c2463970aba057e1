package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/internal/platform/dbtest"
	"github.com/monoshop/monoshop/web/webtest"
)

// TestMain stops the private PostgreSQL that dbtest starts for this test binary.
func TestMain(m *testing.M) { dbtest.Main(m) }

// lookupFrom stands in for os.LookupEnv: only the variables in env are set.
func lookupFrom(env map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}
}

// syncBuffer is a bytes.Buffer that a logger, a subprocess and the test can share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logRecord is one line of a JSON log.
type logRecord map[string]any

func (r logRecord) str(key string) string {
	s, _ := r[key].(string)
	return s
}

// jsonLogRecords parses a JSON-lines log, failing on any line that is not JSON: a log
// collector would choke on it too.
func jsonLogRecords(t *testing.T, log string) []logRecord {
	t.Helper()
	var out []logRecord
	sc := bufio.NewScanner(strings.NewReader(log))
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var rec logRecord
		require.NoError(t, json.Unmarshal([]byte(line), &rec), "log line is not JSON: %s", line)
		out = append(out, rec)
	}
	require.NoError(t, sc.Err())
	return out
}

// recordsWith returns the records whose msg is msg.
func recordsWith(recs []logRecord, msg string) []logRecord {
	var out []logRecord
	for _, r := range recs {
		if r.str("msg") == msg {
			out = append(out, r)
		}
	}
	return out
}

// freeAddr returns 127.0.0.1:PORT for a port that was free a moment ago (the listener is
// closed again, so nothing answers there until someone else takes it).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// page is a parsed HTML document queried by data-testid, the way a test looks for what a
// shopper sees rather than for markup details.
type page struct {
	t    *testing.T
	root *html.Node
}

func parsePage(t *testing.T, body string) page {
	t.Helper()
	return page{t: t, root: webtest.Parse(t, body)}
}

func (p page) all(pred func(*html.Node) bool) []*html.Node { return webtest.All(p.root, pred) }

func (p page) byTestID(id string) []*html.Node { return webtest.ByTestID(p.root, id) }

func (p page) has(id string) bool { return len(p.byTestID(id)) > 0 }

// one returns the single element with the test id, failing when there is none or several.
func (p page) one(id string) *html.Node {
	p.t.Helper()
	return webtest.One(p.t, p.root, id)
}
