package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Two reports in the shape x/vulndb ships them: dates left at zero, one report naming the
// standard library twice (two packages) and a module.
const (
	stdlibReport = `{"schema_version":"1.3.1","id":"GO-2026-6609","modified":"0001-01-01T00:00:00Z",
"published":"0001-01-01T00:00:00Z","aliases":["CVE-2026-78667"],"summary":"Range headers",
"affected":[
 {"package":{"name":"stdlib","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.26.9"}]}],
  "ecosystem_specific":{"imports":[{"path":"net/http","symbols":["ServeContent"]}]}},
 {"package":{"name":"stdlib","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.26.9"}]}],
  "ecosystem_specific":{"imports":[{"path":"mime/multipart"}]}},
 {"package":{"name":"example.com/lib","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.0"}]}]}
]}`
	moduleReport = `{"schema_version":"1.3.1","id":"GO-2025-0001","modified":"2025-03-04T05:06:07Z",
"published":"2025-03-01T00:00:00Z","summary":"a module",
"affected":[{"package":{"name":"example.com/lib","ecosystem":"Go"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`
)

func TestBuild(t *testing.T) {
	t.Parallel()

	reports := func(t *testing.T, files map[string]string) string {
		t.Helper()
		dir := t.TempDir()
		for name, body := range files {
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
		}
		return dir
	}
	readJSON := func(t *testing.T, path string, v any) {
		t.Helper()
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, v))
	}

	t.Run("OKIndexesEveryReport", func(t *testing.T) {
		t.Parallel()
		src := reports(t, map[string]string{
			"GO-2026-6609.json": stdlibReport,
			"GO-2025-0001.json": moduleReport,
			"README.md":         "not a report",
		})
		out := filepath.Join(t.TempDir(), "db")

		n, err := build(src, out, time.Time{})
		require.NoError(t, err)
		require.Equal(t, 2, n)

		var db map[string]string
		readJSON(t, filepath.Join(out, "index", "db.json"), &db)
		require.Equal(t, map[string]string{"modified": "2025-03-04T05:06:07Z"}, db, "the newest report's date")

		var modules []struct {
			Path  string `json:"path"`
			Vulns []struct {
				ID    string `json:"id"`
				Fixed string `json:"fixed"`
			} `json:"vulns"`
		}
		readJSON(t, filepath.Join(out, "index", "modules.json"), &modules)
		require.Len(t, modules, 2)
		require.Equal(t, "example.com/lib", modules[0].Path)
		require.Len(t, modules[0].Vulns, 2)
		require.Equal(t, "GO-2025-0001", modules[0].Vulns[0].ID)
		require.Equal(t, "GO-2026-6609", modules[0].Vulns[1].ID)
		require.Equal(t, "stdlib", modules[1].Path)
		require.Len(t, modules[1].Vulns, 1, "a report naming stdlib for two packages is listed once")
		require.Equal(t, "GO-2026-6609", modules[1].Vulns[0].ID)
		require.Empty(t, modules[1].Vulns[0].Fixed, "govulncheck decides from the report's ranges")

		var vulns []map[string]any
		readJSON(t, filepath.Join(out, "index", "vulns.json"), &vulns)
		require.Equal(t, []map[string]any{
			{"id": "GO-2025-0001", "modified": "2025-03-04T05:06:07Z"},
			{"id": "GO-2026-6609", "modified": "0001-01-01T00:00:00Z", "aliases": []any{"CVE-2026-78667"}},
		}, vulns)

		got, err := os.ReadFile(filepath.Join(out, "ID", "GO-2026-6609.json"))
		require.NoError(t, err)
		require.Equal(t, stdlibReport, string(got), "reports are served byte for byte")
		entries, err := os.ReadDir(filepath.Join(out, "ID"))
		require.NoError(t, err)
		require.Len(t, entries, 2)
	})

	t.Run("OKDateOfTheReportSet", func(t *testing.T) {
		t.Parallel()
		src := reports(t, map[string]string{"GO-2026-6609.json": stdlibReport})
		out := filepath.Join(t.TempDir(), "db")

		require.NoError(t, run([]string{"-osv", src, "-out", out, "-modified", "2026-11-05T23:49:57Z"}, io.Discard, io.Discard))

		var db map[string]string
		readJSON(t, filepath.Join(out, "index", "db.json"), &db)
		require.Equal(t, "2026-11-05T23:49:57Z", db["modified"], "reports without dates take the set's")
	})

	t.Run("ErrIDNotItsFileName", func(t *testing.T) {
		t.Parallel()
		src := reports(t, map[string]string{"GO-2026-0001.json": stdlibReport})
		out := filepath.Join(t.TempDir(), "db")

		_, err := build(src, out, time.Time{})
		require.ErrorContains(t, err, `report GO-2026-0001.json: id "GO-2026-6609" does not match its file name`)
		require.NoDirExists(t, out)
		leftovers, err := os.ReadDir(filepath.Dir(out))
		require.NoError(t, err)
		require.Empty(t, leftovers, "a failed build leaves no partial database")
	})

	t.Run("ErrNotJSON", func(t *testing.T) {
		t.Parallel()
		src := reports(t, map[string]string{"GO-2026-0001.json": "{"})

		_, err := build(src, filepath.Join(t.TempDir(), "db"), time.Time{})
		require.ErrorContains(t, err, "report GO-2026-0001.json")
	})

	t.Run("ErrNoReports", func(t *testing.T) {
		t.Parallel()
		src := reports(t, map[string]string{"README.md": "x"})

		_, err := build(src, filepath.Join(t.TempDir(), "db"), time.Time{})
		require.ErrorContains(t, err, "no reports")
	})

	t.Run("ErrOutExists", func(t *testing.T) {
		t.Parallel()
		src := reports(t, map[string]string{"GO-2026-6609.json": stdlibReport})
		out := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(out, "keep"), []byte("x"), 0o644))

		_, err := build(src, out, time.Time{})
		require.ErrorContains(t, err, "exists already")
		require.FileExists(t, filepath.Join(out, "keep"))
	})

	t.Run("ErrUsage", func(t *testing.T) {
		t.Parallel()
		require.ErrorContains(t, run([]string{"-osv", "x"}, io.Discard, io.Discard), "-osv and -out are required")
		require.ErrorContains(t, run([]string{"-osv", "x", "-out", "y", "-modified", "yesterday"}, io.Discard, io.Discard), "-modified")
	})
}
