package web

import (
	"bytes"
	"context"
	"testing"

	"github.com/a-h/templ"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/monoshop/monoshop/web/webtest"
)

// doc is a parsed page that tests query by data-testid, the way a user-facing test looks
// for what a shopper sees rather than for markup details.
type doc struct {
	t    *testing.T
	root *html.Node
	raw  string
}

func parseDoc(t *testing.T, raw string) doc {
	t.Helper()
	return doc{t: t, root: webtest.Parse(t, raw), raw: raw}
}

func renderDoc(t *testing.T, ctx context.Context, c templ.Component) doc {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, c.Render(ctx, &buf))
	return parseDoc(t, buf.String())
}

// all returns every element matching pred, in document order.
func (d doc) all(pred func(*html.Node) bool) []*html.Node { return webtest.All(d.root, pred) }

func (d doc) byTestID(id string) []*html.Node { return webtest.ByTestID(d.root, id) }

// one returns the single element with the test id, failing when there is none or several.
func (d doc) one(id string) *html.Node {
	d.t.Helper()
	return webtest.One(d.t, d.root, id)
}

func (d doc) has(id string) bool { return len(d.byTestID(id)) > 0 }

func (d doc) byTag(tag string) []*html.Node {
	return d.all(func(n *html.Node) bool { return n.Data == tag })
}

func isTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

func isAncestor(anc, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == anc {
			return true
		}
	}
	return false
}
