package main

import (
	"html"
	"strings"
)

// node is an element or a text node of a parsed page. Discovery only needs to find
// elements by attribute and read their text and links, so this small tree (built from the
// well-formed markup templ emits) replaces a full HTML5 parser and keeps the load
// generator on the standard library.
type node struct {
	tag      string // lower case; empty for text, "#document" for the root
	attrs    []attr
	text     string // text nodes only, entities decoded
	children []*node
}

type attr struct{ key, val string }

// isVoid reports elements that never have content or an end tag, so they must not be
// pushed as parents.
func isVoid(tag string) bool {
	switch tag {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
		"source", "track", "wbr":
		return true
	}
	return false
}

// parseHTML builds a tree from src. It never fails: markup it does not understand becomes
// text, and an end tag without a matching open element is ignored, as browsers do.
func parseHTML(src string) *node {
	root := &node{tag: "#document"}
	stack := []*node{root}
	top := func() *node { return stack[len(stack)-1] }
	for len(src) > 0 {
		lt := strings.IndexByte(src, '<')
		if lt < 0 {
			top().children = append(top().children, textNode(src))
			break
		}
		if lt > 0 {
			top().children = append(top().children, textNode(src[:lt]))
			src = src[lt:]
		}
		switch {
		case strings.HasPrefix(src, "<!--"):
			end := strings.Index(src[4:], "-->")
			if end < 0 {
				return root
			}
			src = src[4+end+3:]
		case strings.HasPrefix(src, "<!"), strings.HasPrefix(src, "<?"):
			end := strings.IndexByte(src, '>')
			if end < 0 {
				return root
			}
			src = src[end+1:]
		case strings.HasPrefix(src, "</"):
			end := strings.IndexByte(src, '>')
			if end < 0 {
				return root
			}
			name := strings.ToLower(strings.TrimSpace(src[2:end]))
			src = src[end+1:]
			for i := len(stack) - 1; i > 0; i-- {
				if stack[i].tag == name {
					stack = stack[:i]
					break
				}
			}
		case len(src) > 1 && isASCIILetter(src[1]):
			el, selfClosing, rest := parseStartTag(src)
			src = rest
			top().children = append(top().children, el)
			if el.tag == "script" || el.tag == "style" {
				// Raw text: its content is code, never page text, and may contain "<".
				end := strings.Index(strings.ToLower(src), "</"+el.tag)
				if end < 0 {
					return root
				}
				src = src[end:]
				continue
			}
			if !selfClosing && !isVoid(el.tag) {
				stack = append(stack, el)
			}
		default:
			top().children = append(top().children, textNode("<"))
			src = src[1:]
		}
	}
	return root
}

func textNode(s string) *node { return &node{text: html.UnescapeString(s)} }

func isASCIILetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f'
}

// parseStartTag reads "<name attr=value ...>" from the start of src and returns the
// element, whether it was written self-closing, and what follows the tag.
func parseStartTag(src string) (*node, bool, string) {
	i := 1
	for i < len(src) && !isSpace(src[i]) && src[i] != '>' && src[i] != '/' {
		i++
	}
	el := &node{tag: strings.ToLower(src[1:i])}
	for i < len(src) {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			break
		}
		switch {
		case src[i] == '>':
			return el, false, src[i+1:]
		case strings.HasPrefix(src[i:], "/>"):
			return el, true, src[i+2:]
		case src[i] == '/':
			i++
			continue
		}
		start := i
		for i < len(src) && !isSpace(src[i]) && src[i] != '=' && src[i] != '>' && !strings.HasPrefix(src[i:], "/>") {
			i++
		}
		key := strings.ToLower(src[start:i])
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		var val string
		if i < len(src) && src[i] == '=' {
			i++
			for i < len(src) && isSpace(src[i]) {
				i++
			}
			if i < len(src) && (src[i] == '"' || src[i] == '\'') {
				q := src[i]
				end := strings.IndexByte(src[i+1:], q)
				if end < 0 {
					end = len(src) - i - 1
				}
				val = src[i+1 : i+1+end]
				i += end + 2
			} else {
				start := i
				for i < len(src) && !isSpace(src[i]) && src[i] != '>' {
					i++
				}
				val = src[start:i]
			}
		}
		el.attrs = append(el.attrs, attr{key: key, val: html.UnescapeString(val)})
	}
	return el, false, ""
}

// attr returns the value of the named attribute.
func (n *node) attr(key string) (string, bool) {
	for _, a := range n.attrs {
		if a.key == key {
			return a.val, true
		}
	}
	return "", false
}

// hasTestID reports whether n carries data-testid="id", the contract tests and the load
// generator use to find things on a page without depending on its layout.
func (n *node) hasTestID(id string) bool {
	v, ok := n.attr("data-testid")
	return ok && v == id
}

// findAll returns every element below n (not n itself) that match accepts, in document
// order, including matches nested in other matches.
func (n *node) findAll(match func(*node) bool) []*node {
	var out []*node
	var walk func(*node)
	walk = func(p *node) {
		for _, c := range p.children {
			if c.tag != "" && match(c) {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

// textContent is the text below n with runs of white space collapsed, as a reader sees it.
func (n *node) textContent() string {
	var b strings.Builder
	var walk func(*node)
	walk = func(p *node) {
		if p.tag == "" {
			b.WriteString(p.text)
			b.WriteByte(' ')
		}
		for _, c := range p.children {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
