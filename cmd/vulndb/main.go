// Command vulndb builds an offline Go vulnerability database from the OSV reports that the
// golang.org/x/vulndb module ships (its data/osv directory), in the v1 layout that
// `govulncheck -db file:///DIR` reads (https://go.dev/security/vuln/database#api):
//
//	DIR/index/db.json       {"modified": ...}, the newest report's date
//	DIR/index/modules.json  each module path with the IDs of the reports about it
//	DIR/index/vulns.json    each report's ID, date and aliases
//	DIR/ID/GO-YYYY-NNNN.json  the reports themselves, byte for byte
//
// CI cannot reach vuln.go.dev, and x/vulndb's own indexer pulls in its cloud services'
// client libraries; this needs only the standard library. `make vulncheck` (.ci/vulncheck)
// runs it.
//
//	vulndb -osv $(go list -m -f '{{.Dir}}' golang.org/x/vulndb@VERSION)/data/osv -out DIR
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "vulndb:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("vulndb", flag.ContinueOnError)
	fs.SetOutput(stderr)
	osvDir := fs.String("osv", "", "directory of OSV reports (GO-YYYY-NNNN.json), e.g. x/vulndb's data/osv")
	outDir := fs.String("out", "", "database directory to create; it must not exist yet")
	modified := fs.String("modified", "", "date of the report set (RFC 3339), used when the reports carry none")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *osvDir == "" || *outDir == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("-osv and -out are required, and nothing else")
	}
	var asOf time.Time
	if *modified != "" {
		var err error
		if asOf, err = time.Parse(time.RFC3339, *modified); err != nil {
			return fmt.Errorf("-modified: %w", err)
		}
	}
	n, err := build(*osvDir, *outDir, asOf)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "vulndb: %d reports from %s into %s\n", n, *osvDir, *outDir)
	return nil
}

// report is the part of an OSV report the indexes are made of.
type report struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
	Affected []struct {
		Package struct {
			// Name is a module path, or "stdlib" / "toolchain" for Go itself.
			Name string `json:"name"`
		} `json:"package"`
	} `json:"affected"`
}

// moduleVuln leaves out the index's optional "fixed" version on purpose: without it
// govulncheck reads every report about a module and decides from the report's own version
// ranges whether the version in use is affected, so no semver arithmetic here can hide a
// vulnerability.
type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
}

type moduleEntry struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type vulnEntry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

var reportID = regexp.MustCompile(`^GO-[0-9]{4}-[0-9]{4,}$`)

// build writes the database for the reports in osvDir to outDir and returns how many
// reports it holds. It writes into a temporary directory beside outDir and renames it at
// the end, so an interrupted run leaves no half database that a later run would trust.
func build(osvDir, outDir string, asOf time.Time) (int, error) {
	if _, err := os.Stat(outDir); err == nil {
		return 0, fmt.Errorf("%s exists already; remove it or choose another -out", outDir)
	} else if !errors.Is(err, os.ErrNotExist) {
		return 0, err
	}
	files, err := os.ReadDir(osvDir)
	if err != nil {
		return 0, fmt.Errorf("read reports: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(outDir), "."+filepath.Base(outDir)+".*")
	if err != nil {
		return 0, fmt.Errorf("create database: %w", err)
	}
	defer os.RemoveAll(tmp) // gone after the rename; a failed build leaves nothing
	if err := os.Mkdir(filepath.Join(tmp, "ID"), 0o755); err != nil {
		return 0, err
	}
	if err := os.Mkdir(filepath.Join(tmp, "index"), 0o755); err != nil {
		return 0, err
	}

	dbModified := asOf
	modules := map[string][]moduleVuln{}
	var vulns []vulnEntry
	for _, f := range files {
		name := f.Name()
		if f.IsDir() || !strings.HasSuffix(name, ".json") {
			continue
		}
		body, err := os.ReadFile(filepath.Join(osvDir, name))
		if err != nil {
			return 0, fmt.Errorf("read report: %w", err)
		}
		var r report
		if err := json.Unmarshal(body, &r); err != nil {
			return 0, fmt.Errorf("report %s: %w", name, err)
		}
		// The file name is the ID govulncheck asks for; a mismatch would make the index
		// point at a report that is not there.
		if !reportID.MatchString(r.ID) || r.ID+".json" != name {
			return 0, fmt.Errorf("report %s: id %q does not match its file name", name, r.ID)
		}
		if err := os.WriteFile(filepath.Join(tmp, "ID", name), body, 0o644); err != nil {
			return 0, fmt.Errorf("write report: %w", err)
		}
		if r.Modified.After(dbModified) {
			dbModified = r.Modified
		}
		vulns = append(vulns, vulnEntry{ID: r.ID, Modified: r.Modified, Aliases: r.Aliases})
		for _, a := range r.Affected {
			path := a.Package.Name
			if path == "" {
				return 0, fmt.Errorf("report %s: an affected package has no name", name)
			}
			// A report names a module once per affected package; the index lists it once.
			if !slices.ContainsFunc(modules[path], func(v moduleVuln) bool { return v.ID == r.ID }) {
				modules[path] = append(modules[path], moduleVuln{ID: r.ID, Modified: r.Modified})
			}
		}
	}
	if len(vulns) == 0 {
		return 0, fmt.Errorf("no reports (GO-YYYY-NNNN.json) in %s", osvDir)
	}

	slices.SortFunc(vulns, func(a, b vulnEntry) int { return strings.Compare(a.ID, b.ID) })
	var moduleList []moduleEntry
	for _, path := range slices.Sorted(maps.Keys(modules)) {
		vs := modules[path]
		slices.SortFunc(vs, func(a, b moduleVuln) int { return strings.Compare(a.ID, b.ID) })
		moduleList = append(moduleList, moduleEntry{Path: path, Vulns: vs})
	}
	dbMeta := struct {
		Modified time.Time `json:"modified"`
	}{dbModified}
	for name, v := range map[string]any{"db.json": dbMeta, "modules.json": moduleList, "vulns.json": vulns} {
		if err := writeJSON(filepath.Join(tmp, "index", name), v); err != nil {
			return 0, err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp, outDir); err != nil {
		return 0, fmt.Errorf("create database: %w", err)
	}
	return len(vulns), nil
}

func writeJSON(path string, v any) error {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return fmt.Errorf("encode %s: %w", filepath.Base(path), err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	return nil
}
