package archtest

import (
	"fmt"
	"slices"
	"strings"
)

const modulePath = "github.com/monoshop/monoshop"

// modules are the business modules; each owns one Postgres schema. content (the shop's
// text pages) came after DESIGN.md's list; like users and notify it imports no module.
var modules = []string{"catalog", "inventory", "cart", "orders", "payments", "users", "recs", "notify", "content"}

// allowedEdges is DESIGN.md §2 rule 4: which module may import the root package of which.
// Every module may also import internal/platform/... and web; anything else is a violation.
// A module absent from this map imports no other module.
var allowedEdges = map[string][]string{
	"cart":   {"catalog", "inventory"},
	"orders": {"cart", "catalog", "inventory", "payments", "users", "notify"},
	"recs":   {"catalog"},
}

// Package is one package's imports as `go list` reports them.
type Package struct {
	ImportPath string
	Imports    []string
	// TestImports are the imports of its _test.go files (internal and external tests).
	TestImports []string
}

// owner says which part of the tree a package belongs to: a module name, "platform",
// "web", "cmd", or "" for anything outside the project.
func owner(importPath string) (part string, sub string) {
	rel, ok := strings.CutPrefix(importPath, modulePath+"/")
	if !ok {
		return "", ""
	}
	segs := strings.Split(rel, "/")
	switch {
	case segs[0] == "internal" && len(segs) > 1 && slices.Contains(modules, segs[1]):
		return segs[1], strings.Join(segs[2:], "/")
	case segs[0] == "internal" && len(segs) > 1 && segs[1] == "platform":
		return "platform", strings.Join(segs[2:], "/")
	case segs[0] == "web":
		return "web", strings.Join(segs[1:], "/")
	case segs[0] == "cmd":
		return "cmd", strings.Join(segs[1:], "/")
	case segs[0] == "migrations":
		return "migrations", ""
	}
	return "other", rel
}

// CheckGraph returns one line per forbidden import, empty when the tree obeys the rules.
func CheckGraph(pkgs []Package) []string {
	var violations []string
	for _, p := range pkgs {
		from, _ := owner(p.ImportPath)
		for _, imp := range p.Imports {
			if v := checkEdge(p.ImportPath, from, imp, false); v != "" {
				violations = append(violations, v)
			}
		}
		for _, imp := range p.TestImports {
			if v := checkEdge(p.ImportPath, from, imp, true); v != "" {
				violations = append(violations, v+" (in tests)")
			}
		}
	}
	slices.Sort(violations)
	return slices.Compact(violations)
}

func checkEdge(fromPkg, from, imp string, inTest bool) string {
	to, toSub := owner(imp)
	if to == "" || to == from {
		return ""
	}
	bad := func(why string) string { return fmt.Sprintf("%s imports %s: %s", fromPkg, imp, why) }
	isModule := slices.Contains(modules, to)
	switch from {
	case "platform":
		if isModule || to == "web" || to == "cmd" {
			return bad("platform packages carry no business rules and import no module, web or cmd")
		}
		return ""
	case "web":
		if isModule || to == "cmd" {
			return bad("web imports no module (modules render their pages with web, not the other way round)")
		}
		return ""
	case "cmd", "other", "migrations":
		return ""
	}
	// from is a module.
	if to == "cmd" {
		return bad("modules never import the binary")
	}
	if !isModule {
		return ""
	}
	if toSub != "" {
		// Other modules' tests may build fixtures with the <module>test package.
		if inTest && toSub == to+"test" {
			return checkModuleEdge(from, to, bad)
		}
		return bad("only a module's root package is public; its subpackages are private")
	}
	return checkModuleEdge(from, to, bad)
}

func checkModuleEdge(from, to string, bad func(string) string) string {
	if slices.Contains(allowedEdges[from], to) {
		return ""
	}
	return bad(fmt.Sprintf("module %s may not depend on module %s (DESIGN.md §2 rule 4)", from, to))
}
