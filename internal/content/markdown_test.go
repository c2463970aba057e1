package content_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/monoshop/monoshop/internal/content"
)

func TestRenderMarkdown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"OKParagraphsAndEmphasis", "We are *small* and **proud**, _really_ ***so***.\n\nSecond paragraph.",
			"<p>We are <em>small</em> and <strong>proud</strong>, <em>really</em> <em><strong>so</strong></em>.</p>\n<p>Second paragraph.</p>"},
		{"OKNestedEmphasis", "*a **b** c* and **d *e***", "<p><em>a <strong>b</strong> c</em> and <strong>d <em>e</em></strong></p>"},
		{"OKUnderscoreInsideWordsStays", "snake_case_name and 2*3*4", "<p>snake_case_name and 2<em>3</em>4</p>"},
		{"OKLoneStarsStay", "5 * 3 * 2 and a * b", "<p>5 * 3 * 2 and a * b</p>"},
		{"OKHeadingsStartAtH2", "# About\n\n## Team\n\n### People", "<h2>About</h2>\n<h3>Team</h3>\n<h4>People</h4>"},
		{"OKSecondLevelHeadingsAreH2", "## Shipping\n\ntext\n\n## Returns", "<h2>Shipping</h2>\n<p>text</p>\n<h2>Returns</h2>"},
		{"OKUnderlinedHeadings", "Title\n=====\n\nSub\n---", "<h2>Title</h2>\n<h3>Sub</h3>"},
		{"OKLinks", "See [our terms](/pages/terms), [mail](mailto:hi@shop.example) or <https://shop.example/a?b=1&c=2>.",
			`<p>See <a href="/pages/terms">our terms</a>, <a href="mailto:hi@shop.example">mail</a> or <a href="https://shop.example/a?b=1&amp;c=2">https://shop.example/a?b=1&amp;c=2</a>.</p>`},
		{"OKLinkWithTitleAndParens", `[wiki](https://en.example/A_(b) "Title")`, `<p><a href="https://en.example/A_(b)">wiki</a></p>`},
		{"OKImageBecomesLink", "![the map](https://shop.example/map.png)", `<p><a href="https://shop.example/map.png">the map</a></p>`},
		{"OKLists", "- one\n- two\n  - nested\n- three\n\n1. first\n2. second\n\n3) third",
			"<ul>\n<li>one</li>\n<li>two\n<ul>\n<li>nested</li>\n</ul>\n</li>\n<li>three</li>\n</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n<ol start=\"3\">\n<li>third</li>\n</ol>"},
		{"OKLooseList", "- a\n\n- b", "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>"},
		{"OKNumberInTextIsNoList", "We opened in\n2024. Since then", "<p>We opened in\n2024. Since then</p>"},
		{"OKQuoteRuleCode", "> quoted\n> more\n\n---\n\n```\n<b>x</b>\n```\n\nuse `a<b`",
			"<blockquote>\n<p>quoted\nmore</p>\n</blockquote>\n<hr>\n<pre><code>&lt;b&gt;x&lt;/b&gt;</code></pre>\n<p>use <code>a&lt;b</code></p>"},
		{"OKLineBreaks", "12 rue de la Paix  \n75002 Paris\\\nFrance", "<p>12 rue de la Paix<br>\n75002 Paris<br>\nFrance</p>"},
		{"OKEscapes", `\*not em\* and \[not a link\](x)`, "<p>*not em* and [not a link](x)</p>"},
		{"OKTable", "| Zone | Price | Days |\n|:-----|------:|:----:|\n| France | €4.90 | 2 |\n| Europe \\| EU |",
			"<div class=\"content-table\"><table>\n<thead>\n<tr><th>Zone</th><th class=\"align-right\">Price</th><th class=\"align-center\">Days</th></tr>\n</thead>\n<tbody>\n" +
				"<tr><td>France</td><td class=\"align-right\">€4.90</td><td class=\"align-center\">2</td></tr>\n" +
				"<tr><td>Europe | EU</td><td class=\"align-right\"></td><td class=\"align-center\"></td></tr>\n</tbody>\n</table></div>"},
		{"OKWindowsLineEndings", "# A\r\n\r\ntext\r\nmore", "<h2>A</h2>\n<p>text\nmore</p>"},
		{"OKEmpty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, string(content.RenderMarkdown(tc.in)))
		})
	}
}

// hostileBodies are what a careless paste or a malicious staff account could put in a
// page. None of it may reach a shopper as markup.
var hostileBodies = []string{
	"<script>alert(1)</script>",
	"<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
	"<style>body{display:none}</style>",
	`<img src=x onerror="alert(1)">`,
	`<a href="javascript:alert(1)" onclick="alert(2)">x</a>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<div style="position:fixed;inset:0">cover</div>`,
	"[click](javascript:alert(1))",
	"[click](JaVaScRiPt:alert(1))",
	"[click]( javascript:alert(1) )",
	"[click](java\tscript:alert(1))",
	"[click](java&#x09;script:alert(1))",
	"[click](&#106;avascript:alert(1))",
	"[click](<javascript:alert(1)>)",
	`[click](javascript\:alert(1))`,
	"[click](vbscript:msgbox(1))",
	"[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
	"[click](//evil.example/path)",
	`[click](/\evil.example)`,
	`[x](https://ok.example "title\" onmouseover=\"alert(1)")`,
	`[x](https://ok.example" onmouseover="alert(1))`,
	"![x](javascript:alert(1))",
	"<javascript:alert(1)>",
	"<https://ok.example/\"onmouseover=\"alert(1)>",
	"**<script>alert(1)</script>**",
	"`</code><script>alert(1)</script>`",
	"```\n</code></pre><script>alert(1)</script>\n```",
	"| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
	"# <img src=x onerror=alert(1)>",
	"- <svg onload=alert(1)>\n- [x](javascript:alert(1))",
	"> <script>alert(1)</script>",
	"<!-- comment --><![CDATA[x]]><?php echo 1 ?>",
	"\x00<scr\x00ipt>alert(1)</script>",
	"&lt;script&gt;alert(1)&lt;/script&gt;",
	"[a](https://ok.example/\u2028javascript:alert(1))",
}

// checkSafe fails unless out is made only of the tags and attributes the renderer is
// meant to write, with link addresses the shop allows.
func checkSafe(t testing.TB, in, out string) {
	t.Helper()
	allowed := map[string][]string{
		"h2": nil, "h3": nil, "h4": nil, "h5": nil, "h6": nil, "p": nil, "em": nil, "strong": nil, "code": nil,
		"pre": nil, "a": {"href"}, "ul": nil, "ol": {"start"}, "li": nil, "blockquote": nil, "hr": nil, "br": nil,
		"div": {"class"}, "table": nil, "thead": nil, "tbody": nil, "tr": nil, "th": {"class"}, "td": {"class"},
	}
	nodes, err := html.ParseFragment(strings.NewReader(out), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatalf("%q rendered unparsable HTML: %v", in, err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.CommentNode, html.DoctypeNode:
			t.Fatalf("%q rendered a comment or doctype: %q", in, out)
		case html.ElementNode:
			attrs, ok := allowed[n.Data]
			if !ok {
				t.Fatalf("%q rendered a <%s> element: %q", in, n.Data, out)
			}
			for _, a := range n.Attr {
				if !contains(attrs, a.Key) || a.Namespace != "" {
					t.Fatalf("%q rendered attribute %s on <%s>: %q", in, a.Key, n.Data, out)
				}
				if a.Key == "href" {
					if _, ok := content.SafeLinkURL(a.Val); !ok {
						t.Fatalf("%q rendered an unsafe link %q: %q", in, a.Val, out)
					}
					lower := strings.ToLower(a.Val)
					for _, bad := range []string{"javascript:", "vbscript:", "data:", "//"} {
						if strings.HasPrefix(lower, bad) {
							t.Fatalf("%q rendered a %s link: %q", in, bad, out)
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestRenderMarkdownHostile(t *testing.T) {
	t.Parallel()
	for _, in := range hostileBodies {
		out := string(content.RenderMarkdown(in))
		checkSafe(t, in, out)
		require.NotContains(t, strings.ToLower(out), "<script", in)
	}

	t.Run("OKMarkupShownAsText", func(t *testing.T) {
		t.Parallel()
		// Staff who paste HTML see it on the page and know to write Markdown instead.
		require.Equal(t, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", string(content.RenderMarkdown("<script>alert(1)</script>")))
		require.Equal(t, "<p>click</p>", string(content.RenderMarkdown("[click](javascript:alert(1))")),
			"an unsafe link keeps its text and loses the link")
	})
}

func FuzzRenderMarkdown(f *testing.F) {
	for _, in := range hostileBodies {
		f.Add(in)
	}
	f.Add("# a\n\n- *b* [c](/d)\n  1. e\n\n| f | g |\n|---|--:|\n| `h` | **i** |\n\n> j\n\n```\nk\n```")
	f.Fuzz(func(t *testing.T, in string) {
		out := string(content.RenderMarkdown(in))
		checkSafe(t, in, out)
	})
}

func TestSafeLinkURL(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"https://shop.example/x", "HTTP://shop.example", "mailto:hi@shop.example", "tel:+33123456789",
		"/pages/terms", "#returns", "?q=shoes", "pages/terms", "terms.html#a:b"} {
		got, safe := content.SafeLinkURL(ok)
		require.True(t, safe, ok)
		require.Equal(t, ok, got)
	}
	for _, bad := range []string{"", "javascript:alert(1)", "JAVASCRIPT:x", "vbscript:x", "data:text/html,x", "file:///etc/passwd",
		"//evil.example", `/\evil.example`, "java\tscript:x", "java\nscript:x", "https://", "mailto:", "https:evil", "ftp://x.example"} {
		_, safe := content.SafeLinkURL(bad)
		require.False(t, safe, bad)
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	body := "# About us\n\nWe sell *good* [shoes](/c/shoes) & boots <b>since</b> 1998.\n\nMore."
	require.Equal(t, "We sell good shoes & boots <b>since</b> 1998.", content.Summary(body, 155))
	require.Equal(t, "We sell good shoes…", content.Summary(body, 20))
	require.Empty(t, content.Summary("# Only a heading", 155))
}

func TestSlugify(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Shipping & returns":        "shipping-returns",
		"  Conditions générales ":   "conditions-generales",
		"Who we're":                 "who-were",
		"!!!":                       "",
		strings.Repeat("word ", 40): strings.TrimSuffix(strings.Repeat("word-", 16), "-"),
	} {
		require.Equal(t, want, content.Slugify(in), in)
	}
}

// BenchmarkRenderMarkdownPathological renders bodies of the largest size a page may have
// that are made of what costs a naive renderer the most: unmatched delimiters and deep
// nesting. Each must render in about the time of an ordinary body of the same length.
func BenchmarkRenderMarkdownPathological(b *testing.B) {
	for name, body := range map[string]string{
		"Ordinary":        strings.Repeat("Some *text* with a [link](/x) and `code`.\n\n", 1200),
		"UnmatchedStars":  strings.Repeat("*a ", content.MaxBody/3),
		"UnmatchedTicks":  strings.Repeat("`a ", content.MaxBody/3),
		"OpenBrackets":    strings.Repeat("[", content.MaxBody),
		"DeepQuotes":      strings.Repeat(">", content.MaxBody-2) + " x",
		"DeepLists":       strings.Repeat("- ", content.MaxBody/2),
		"WideTable":       "|" + strings.Repeat("a|", 30) + "\n|" + strings.Repeat("-|", 30) + "\n" + strings.Repeat("|\n", 20000),
		"NestedEmphasis":  strings.Repeat("*a **b ", content.MaxBody/8),
		"LinksInBrackets": strings.Repeat("[a](", content.MaxBody/4),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				content.RenderMarkdown(body)
			}
		})
	}
}
