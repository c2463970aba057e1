// Package webtest reads HTML pages in tests the way a shopper or a staff member sees
// them: by data-testid, attribute and visible text.
//
// It exists so that the tests of every module, of web and of cmd/shop, which all fetch
// pages over real HTTP, share one copy of these helpers instead of each carrying its own.
// It is a normal package so that other packages' tests can import it, but only tests
// (and test fixture packages such as paymentstest) should.
package webtest

import (
	"cmp"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// Parse parses body as an HTML document, failing t when it cannot.
func Parse(t testing.TB, body string) *html.Node {
	t.Helper()
	root, err := html.Parse(strings.NewReader(body))
	require.NoError(t, err)
	return root
}

// All returns the elements below n (n itself excluded) for which pred holds, in document
// order.
func All(n *html.Node, pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && pred(d) {
			out = append(out, d)
		}
	}
	return out
}

// ByTestID returns the elements below n with data-testid="id", in document order.
func ByTestID(n *html.Node, id string) []*html.Node {
	return All(n, func(d *html.Node) bool { return Attr(d, "data-testid") == id })
}

// One returns the single element below n with data-testid="id", failing t when there is
// none or several.
func One(t testing.TB, n *html.Node, id string) *html.Node {
	t.Helper()
	nodes := ByTestID(n, id)
	require.Len(t, nodes, 1, "elements with data-testid=%q", id)
	return nodes[0]
}

// Attr returns the value of n's attribute key, "" when absent.
func Attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// HasAttr reports whether n carries the attribute key at all (boolean attributes such as
// checked have no value).
func HasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// Text is the text a reader sees in n: every text node below it, separated by a space,
// with runs of white space collapsed. "<b>12</b><i>kg</i>" reads "12 kg".
func Text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Texts is the Text of each node.
func Texts(nodes []*html.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = Text(n)
	}
	return out
}

// TextContent is n's text content as the DOM has it (n and every text node below it
// joined as they stand) with runs of white space collapsed. Unlike Text it puts no space
// between adjacent elements: "<b>12</b><i>kg</i>" reads "12kg".
func TextContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// TextContents is the TextContent of each node.
func TextContents(nodes []*html.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = TextContent(n)
	}
	return out
}

// RawText is the text directly inside n exactly as written, white space and line breaks
// kept: what a text area holds.
func RawText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// FormValues is what a browser submits from form when no button is pressed: each named
// input (a ticked box or radio only, "on" for one without a value; no file, submit,
// button, image or reset input), each text area's RawText and each select's selected
// option, else its first. A control that is disabled, or inside a disabled fieldset,
// submits nothing, and so does a select whose chosen option is disabled. It fails t on a
// select without options.
func FormValues(t testing.TB, form *html.Node) url.Values {
	t.Helper()
	v := url.Values{}
	for _, n := range All(form, func(n *html.Node) bool { return Attr(n, "name") != "" && !disabled(n) }) {
		name := Attr(n, "name")
		switch n.Data {
		case "input":
			switch Attr(n, "type") {
			case "checkbox", "radio":
				if HasAttr(n, "checked") {
					v.Add(name, cmp.Or(Attr(n, "value"), "on"))
				}
			case "file", "submit", "button", "image", "reset":
			default:
				v.Add(name, Attr(n, "value"))
			}
		case "textarea":
			v.Add(name, RawText(n))
		case "select":
			options := All(n, func(o *html.Node) bool { return o.Data == "option" })
			require.NotEmpty(t, options, "select %q has options", name)
			chosen := options[0]
			for _, o := range options {
				if HasAttr(o, "selected") {
					chosen = o
				}
			}
			if !HasAttr(chosen, "disabled") {
				v.Add(name, Attr(chosen, "value"))
			}
		}
	}
	return v
}

// disabled reports whether n cannot be submitted: it or a fieldset around it is disabled.
func disabled(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if HasAttr(p, "disabled") && (p == n || p.Data == "fieldset") {
			return true
		}
	}
	return false
}

// Control returns the single form control (input, select or text area) named name below
// n, failing t when there is none or several.
func Control(t testing.TB, n *html.Node, name string) *html.Node {
	t.Helper()
	found := All(n, func(c *html.Node) bool {
		return (c.Data == "input" || c.Data == "select" || c.Data == "textarea") && Attr(c, "name") == name
	})
	require.Len(t, found, 1, "form controls named %q", name)
	return found[0]
}
