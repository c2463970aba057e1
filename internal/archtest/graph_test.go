package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestModuleGraph(t *testing.T) {
	t.Parallel()

	t.Run("OKTree", func(t *testing.T) {
		t.Parallel()
		pkgs := listPackages(t)
		require.NotEmpty(t, pkgs)
		require.Empty(t, CheckGraph(pkgs), "the tree breaks the module import rules of DESIGN.md §2")
	})

	t.Run("OKAllowedEdges", func(t *testing.T) {
		t.Parallel()
		pkgs := []Package{
			{ImportPath: modulePath + "/internal/cart", Imports: []string{modulePath + "/internal/catalog", modulePath + "/internal/inventory", modulePath + "/internal/platform/db", modulePath + "/web"}},
			{ImportPath: modulePath + "/internal/orders", Imports: []string{modulePath + "/internal/payments", modulePath + "/internal/notify"}},
			{ImportPath: modulePath + "/internal/recs", TestImports: []string{modulePath + "/internal/catalog/catalogtest"}},
			{ImportPath: modulePath + "/internal/catalog/catalogweb", Imports: []string{modulePath + "/internal/catalog/internal/dbsqlc", modulePath + "/web"}},
			{ImportPath: modulePath + "/cmd/shop", Imports: []string{modulePath + "/internal/catalog/catalogweb"}},
		}
		require.Empty(t, CheckGraph(pkgs))
	})

	t.Run("ErrForbiddenModuleEdge", func(t *testing.T) {
		t.Parallel()
		got := CheckGraph([]Package{{
			ImportPath: modulePath + "/internal/catalog",
			Imports:    []string{modulePath + "/internal/orders"},
		}})
		require.Len(t, got, 1)
		require.Contains(t, got[0], "module catalog may not depend on module orders")
	})

	t.Run("ErrBackEdge", func(t *testing.T) {
		t.Parallel()
		// cart → catalog is allowed; catalog → cart would close a cycle.
		got := CheckGraph([]Package{{
			ImportPath: modulePath + "/internal/catalog/catalogweb",
			Imports:    []string{modulePath + "/internal/cart"},
		}})
		require.Len(t, got, 1)
	})

	t.Run("ErrPrivateSubpackage", func(t *testing.T) {
		t.Parallel()
		got := CheckGraph([]Package{{
			ImportPath: modulePath + "/internal/cart",
			Imports:    []string{modulePath + "/internal/catalog/internal/dbsqlc", modulePath + "/internal/catalog/catalogweb"},
		}})
		require.Len(t, got, 2)
		require.Contains(t, got[0], "subpackages are private")
	})

	t.Run("ErrFixturesOutsideTests", func(t *testing.T) {
		t.Parallel()
		got := CheckGraph([]Package{{
			ImportPath: modulePath + "/internal/cart",
			Imports:    []string{modulePath + "/internal/catalog/catalogtest"},
		}})
		require.Len(t, got, 1)
	})

	t.Run("ErrWebImportsModule", func(t *testing.T) {
		t.Parallel()
		got := CheckGraph([]Package{{
			ImportPath: modulePath + "/web",
			Imports:    []string{modulePath + "/internal/catalog"},
		}})
		require.Len(t, got, 1)
		require.Contains(t, got[0], "web imports no module")
	})

	t.Run("ErrPlatformImportsModule", func(t *testing.T) {
		t.Parallel()
		got := CheckGraph([]Package{{
			ImportPath: modulePath + "/internal/platform/db",
			Imports:    []string{modulePath + "/internal/users"},
		}})
		require.Len(t, got, 1)
	})

	t.Run("ErrContentImportsModule", func(t *testing.T) {
		t.Parallel()
		// The text pages stand alone: who may edit them is decided in cmd/shop.
		got := CheckGraph([]Package{{
			ImportPath: modulePath + "/internal/content/contentweb",
			Imports:    []string{modulePath + "/internal/content", modulePath + "/internal/users", modulePath + "/web"},
		}})
		require.Len(t, got, 1)
		require.Contains(t, got[0], "module content may not depend on module users")
	})

	t.Run("ErrModuleImportsBinary", func(t *testing.T) {
		t.Parallel()
		got := CheckGraph([]Package{{
			ImportPath: modulePath + "/internal/users",
			Imports:    []string{modulePath + "/cmd/shop"},
		}})
		require.Len(t, got, 1)
	})
}

// listPackages asks the go command for every package of the module with its imports.
func listPackages(t *testing.T) []Package {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,TestImports,XTestImports", modulePath+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", stderr.String())

	var pkgs []Package
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath                         string
			Imports, TestImports, XTestImports []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		pkgs = append(pkgs, Package{
			ImportPath:  p.ImportPath,
			Imports:     p.Imports,
			TestImports: append(p.TestImports, p.XTestImports...),
		})
	}
	return pkgs
}
