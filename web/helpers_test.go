package web

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
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
	root, err := html.Parse(strings.NewReader(raw))
	require.NoError(t, err)
	return doc{t: t, root: root, raw: raw}
}

func renderDoc(t *testing.T, ctx context.Context, c templ.Component) doc {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, c.Render(ctx, &buf))
	return parseDoc(t, buf.String())
}

// all returns every element matching pred, in document order.
func (d doc) all(pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for n := range d.root.Descendants() {
		if n.Type == html.ElementNode && pred(n) {
			out = append(out, n)
		}
	}
	return out
}

func (d doc) byTestID(id string) []*html.Node {
	return d.all(func(n *html.Node) bool { return attr(n, "data-testid") == id })
}

// one returns the single element with the test id, failing when there is none or several.
func (d doc) one(id string) *html.Node {
	d.t.Helper()
	nodes := d.byTestID(id)
	require.Len(d.t, nodes, 1, "elements with data-testid=%q", id)
	return nodes[0]
}

func (d doc) has(id string) bool { return len(d.byTestID(id)) > 0 }

func (d doc) byTag(tag string) []*html.Node {
	return d.all(func(n *html.Node) bool { return n.Data == tag })
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// text is the element's text content with whitespace collapsed, as a reader would see it.
func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func within(n *html.Node, pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && pred(c) {
			out = append(out, c)
		}
	}
	return out
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
