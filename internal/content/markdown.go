package content

import (
	"html"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The page body is a small subset of Markdown, rendered by hand rather than by a library:
// every byte staff type leaves here either escaped as text or inside one of a fixed list
// of tags this file writes itself (h2-h6, p, em, strong, code, pre, a href, ul, ol start,
// li, blockquote, hr, br, table cells with an alignment class). There is no raw-HTML
// pass-through to switch off and no attribute copied from the input, so a <script>, an
// onclick or a javascript: link can only ever appear as visible text.
//
// Supported: ATX (#) and underlined (===, ---) headings, paragraphs, hard line breaks
// (two trailing spaces or a backslash), *emphasis*, **strong**, `code`, fenced code
// blocks, [links](https://...) and <https://...>, bulleted and numbered lists (nested by
// indentation), > quotes, --- rules and pipe tables. Indented code blocks are not: a
// paragraph indented by mistake stays a paragraph.

// Limits keep rendering linear in the body's length whatever is typed: quotes and lists
// nested deeper than this are shown as text, and wider tables are not tables.
const (
	maxBlockDepth = 6
	maxTableCols  = 20
	// maxLinkPart bounds how far a link's address or title is looked for: no real one is
	// longer, and a text of a thousand "[a](" is not searched to its end a thousand times.
	maxLinkPart = 2000
)

var (
	atxHeading    = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	thematicBreak = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	setextLine    = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	fenceOpen     = regexp.MustCompile("^( {0,3})(`{3,}|~{3,})(.*)$")
	bulletItem    = regexp.MustCompile(`^( {0,3})([-*+])(?:([ \t]+)(.*))?$`)
	orderedItem   = regexp.MustCompile(`^( {0,3})([0-9]{1,9})([.)])(?:([ \t]+)(.*))?$`)
	quoteLine     = regexp.MustCompile(`^ {0,3}> ?(.*)$`)
	tableDelim    = regexp.MustCompile(`^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
)

// RenderMarkdown renders a page body to HTML that is safe to put in a page as is.
func RenderMarkdown(src string) template.HTML {
	lines := strings.Split(normalizeSource(src), "\n")
	blocks := parseBlocks(lines, 0)
	r := renderer{headingShift: headingShift(blocks)}
	r.blocks(blocks, false)
	return template.HTML(strings.TrimPrefix(r.b.String(), "\n")) //nolint:gosec // escaped text and fixed tags only
}

// normalizeSource unifies line endings, expands tabs and drops control characters other
// than line breaks, which no page means to contain.
func normalizeSource(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\t", "    ")
	return strings.Map(func(r rune) rune {
		if r != '\n' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
			return -1
		}
		return r
	}, s)
}

type blockKind int

const (
	blockParagraph blockKind = iota
	blockHeading
	blockRule
	blockCode
	blockQuote
	blockList
	blockTable
)

// block is one parsed block; which fields mean something depends on kind.
type block struct {
	kind     blockKind
	level    int     // heading level as typed, 1-6
	text     string  // paragraph and heading source, code block content
	children []block // quote content
	items    [][]block
	ordered  bool
	start    int  // first number of an ordered list
	loose    bool // list items are separated by blank lines: their paragraphs keep <p>
	align    []string
	header   []string
	rows     [][]string
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// parseBlocks splits lines into blocks; depth counts the quotes and lists around them.
func parseBlocks(lines []string, depth int) []block {
	var out []block
	for i := 0; i < len(lines); {
		line := lines[i]
		switch {
		case isBlank(line):
			i++
		case fenceOpen.MatchString(line):
			var b block
			b, i = parseFence(lines, i)
			out = append(out, b)
		case atxHeading.MatchString(line):
			m := atxHeading.FindStringSubmatch(line)
			out = append(out, block{kind: blockHeading, level: len(m[1]), text: strings.TrimSpace(m[2])})
			i++
		case thematicBreak.MatchString(line):
			out = append(out, block{kind: blockRule})
			i++
		case depth < maxBlockDepth && quoteLine.MatchString(line):
			var inner []string
			for ; i < len(lines) && quoteLine.MatchString(lines[i]); i++ {
				inner = append(inner, quoteLine.FindStringSubmatch(lines[i])[1])
			}
			out = append(out, block{kind: blockQuote, children: parseBlocks(inner, depth+1)})
		case depth < maxBlockDepth && listMarker(line) != nil:
			var b block
			b, i = parseList(lines, i, depth)
			out = append(out, b)
		case i+1 < len(lines) && isTableStart(line, lines[i+1]):
			var b block
			b, i = parseTable(lines, i)
			out = append(out, b)
		default:
			var b block
			b, i = parseParagraph(lines, i)
			out = append(out, b)
		}
	}
	return out
}

func parseFence(lines []string, i int) (block, int) {
	m := fenceOpen.FindStringSubmatch(lines[i])
	indent, fence := len(m[1]), m[2]
	if fence[0] == '`' && strings.Contains(m[3], "`") {
		// Not a fence (CommonMark): a line of backticks with more backticks after them is
		// inline code in a paragraph.
		return parseParagraph(lines, i)
	}
	var body []string
	i++
	for ; i < len(lines); i++ {
		t := strings.TrimLeft(lines[i], " ")
		if len(lines[i])-len(t) <= 3 && strings.HasPrefix(t, fence[:1]) &&
			strings.TrimRight(t, fence[:1]+" ") == "" && len(strings.TrimRight(t, " ")) >= len(fence) {
			i++
			break
		}
		// Content lines lose up to the opening fence's indentation.
		l := lines[i]
		for n := 0; n < indent && strings.HasPrefix(l, " "); n++ {
			l = l[1:]
		}
		body = append(body, l)
	}
	return block{kind: blockCode, text: strings.Join(body, "\n")}, i
}

// marker is a list item's start: its kind, number and where its content begins.
type marker struct {
	ordered bool
	bullet  byte // '-', '*', '+', or the '.' / ')' after a number
	number  int
	indent  int // columns of the content: continuation lines indented this far belong to it
	content string
}

func listMarker(line string) *marker {
	if thematicBreak.MatchString(line) {
		return nil
	}
	var lead, rest, space string
	mk := &marker{}
	if m := bulletItem.FindStringSubmatch(line); m != nil {
		lead, space, rest = m[1]+m[2], m[3], m[4]
		mk.bullet = m[2][0]
	} else if m := orderedItem.FindStringSubmatch(line); m != nil {
		lead, space, rest = m[1]+m[2]+m[3], m[4], m[5]
		mk.ordered, mk.bullet = true, m[3][0]
		mk.number, _ = strconv.Atoi(m[2])
	} else {
		return nil
	}
	if space == "" && rest == "" {
		// An empty item ("-" alone) is still an item.
		mk.indent = len(lead) + 1
		return mk
	}
	if len(space) > 4 {
		// Content indented five or more is code in CommonMark; here it is the item's text.
		space = " "
		rest = strings.TrimLeft(rest, " ")
	}
	mk.indent = len(lead) + len(space)
	mk.content = rest
	return mk
}

func sameList(a, b *marker) bool { return a.ordered == b.ordered && a.bullet == b.bullet }

func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

func parseList(lines []string, i, depth int) (block, int) {
	first := listMarker(lines[i])
	b := block{kind: blockList, ordered: first.ordered, start: first.number}
	for i < len(lines) {
		mk := listMarker(lines[i])
		if mk == nil || !sameList(first, mk) {
			break
		}
		item := []string{mk.content}
		i++
		blankBefore := false
		for i < len(lines) {
			line := lines[i]
			if isBlank(line) {
				blankBefore = true
				item = append(item, "")
				i++
				continue
			}
			if indentOf(line) >= mk.indent {
				item = append(item, line[mk.indent:])
				if blankBefore {
					b.loose = true
				}
				blankBefore = false
				i++
				continue
			}
			if blankBefore || startsBlock(line) || listMarker(line) != nil {
				break
			}
			// A lazy continuation of the item's paragraph.
			item = append(item, line)
			i++
		}
		for len(item) > 0 && isBlank(item[len(item)-1]) {
			item = item[:len(item)-1]
		}
		b.items = append(b.items, parseBlocks(item, depth+1))
		if blankBefore && i < len(lines) {
			if next := listMarker(lines[i]); next != nil && sameList(first, next) {
				b.loose = true
			}
		}
	}
	return b, i
}

// startsBlock reports whether line begins a block that interrupts a paragraph.
func startsBlock(line string) bool {
	if atxHeading.MatchString(line) || thematicBreak.MatchString(line) || fenceOpen.MatchString(line) || quoteLine.MatchString(line) {
		return true
	}
	mk := listMarker(line)
	// As in CommonMark, only a non-empty bullet or a list numbered from 1 breaks a
	// paragraph: "in 2024. we shipped" wrapped onto a line of its own stays text.
	return mk != nil && mk.content != "" && (!mk.ordered || mk.number == 1)
}

func parseParagraph(lines []string, i int) (block, int) {
	start := i
	var text []string
	for i < len(lines) && !isBlank(lines[i]) {
		if i > start {
			if m := setextLine.FindStringSubmatch(lines[i]); m != nil {
				level := 2
				if m[1][0] == '=' {
					level = 1
				}
				return block{kind: blockHeading, level: level, text: strings.TrimSpace(strings.Join(text, "\n"))}, i + 1
			}
			if startsBlock(lines[i]) {
				break
			}
			if i+1 < len(lines) && isTableStart(lines[i], lines[i+1]) {
				break
			}
		}
		text = append(text, strings.TrimLeft(lines[i], " "))
		i++
	}
	return block{kind: blockParagraph, text: strings.Join(text, "\n")}, i
}

func isTableStart(head, delim string) bool {
	if !strings.Contains(head, "|") || !tableDelim.MatchString(delim) {
		return false
	}
	n := len(splitRow(head))
	return n <= maxTableCols && n == len(splitRow(delim))
}

// splitRow cuts a table row into cells at pipes that are not escaped with a backslash.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

func parseTable(lines []string, i int) (block, int) {
	b := block{kind: blockTable, header: splitRow(lines[i])}
	for _, d := range splitRow(lines[i+1]) {
		left, right := strings.HasPrefix(d, ":"), strings.HasSuffix(d, ":")
		switch {
		case left && right:
			b.align = append(b.align, "center")
		case right:
			b.align = append(b.align, "right")
		default:
			b.align = append(b.align, "")
		}
	}
	i += 2
	for ; i < len(lines) && !isBlank(lines[i]) && !startsBlock(lines[i]); i++ {
		row := splitRow(lines[i])
		// Every row has the header's cells: extra ones are dropped, missing ones empty.
		row = append(row, make([]string, max(0, len(b.header)-len(row)))...)
		b.rows = append(b.rows, row[:len(b.header)])
	}
	return b, i
}

// headingShift maps the body's biggest heading to <h2>: the page title is the page's only
// <h1>, whether staff start their sections with # or ##.
func headingShift(blocks []block) int {
	top := 7
	var walk func([]block)
	walk = func(bs []block) {
		for _, b := range bs {
			switch b.kind {
			case blockHeading:
				top = min(top, b.level)
			case blockQuote:
				walk(b.children)
			case blockList:
				for _, it := range b.items {
					walk(it)
				}
			}
		}
	}
	walk(blocks)
	if top == 7 {
		return 1
	}
	return 2 - top
}

type renderer struct {
	b            strings.Builder
	headingShift int
}

func (r *renderer) blocks(bs []block, tight bool) {
	for i, b := range bs {
		if i > 0 || !tight {
			r.b.WriteByte('\n')
		}
		switch b.kind {
		case blockParagraph:
			if tight {
				r.inline(b.text)
			} else {
				r.b.WriteString("<p>")
				r.inline(b.text)
				r.b.WriteString("</p>")
			}
		case blockHeading:
			tag := "h" + strconv.Itoa(min(6, max(2, b.level+r.headingShift)))
			r.b.WriteString("<" + tag + ">")
			r.inline(b.text)
			r.b.WriteString("</" + tag + ">")
		case blockRule:
			r.b.WriteString("<hr>")
		case blockCode:
			r.b.WriteString("<pre><code>")
			r.b.WriteString(html.EscapeString(b.text))
			r.b.WriteString("</code></pre>")
		case blockQuote:
			r.b.WriteString("<blockquote>")
			r.blocks(b.children, false)
			r.b.WriteString("\n</blockquote>")
		case blockList:
			r.list(b)
		case blockTable:
			r.table(b)
		}
	}
}

func (r *renderer) list(b block) {
	tag := "ul"
	if b.ordered {
		tag = "ol"
	}
	r.b.WriteString("<" + tag)
	if b.ordered && b.start != 1 {
		r.b.WriteString(` start="` + strconv.Itoa(b.start) + `"`)
	}
	r.b.WriteString(">")
	for _, item := range b.items {
		r.b.WriteString("\n<li>")
		r.blocks(item, !b.loose)
		if !b.loose && len(item) > 1 || b.loose {
			r.b.WriteByte('\n')
		}
		r.b.WriteString("</li>")
	}
	r.b.WriteString("\n</" + tag + ">")
}

func (r *renderer) table(b block) {
	// The wrapper scrolls a wide table sideways on a phone instead of the whole page.
	r.b.WriteString(`<div class="content-table"><table>` + "\n<thead>\n<tr>")
	cell := func(tag, align, text string) {
		r.b.WriteString("<" + tag)
		if align != "" {
			r.b.WriteString(` class="align-` + align + `"`)
		}
		r.b.WriteString(">")
		r.inline(text)
		r.b.WriteString("</" + tag + ">")
	}
	for c, h := range b.header {
		cell("th", b.align[c], h)
	}
	r.b.WriteString("</tr>\n</thead>")
	if len(b.rows) > 0 {
		r.b.WriteString("\n<tbody>")
		for _, row := range b.rows {
			r.b.WriteString("\n<tr>")
			for c, v := range row {
				cell("td", b.align[c], v)
			}
			r.b.WriteString("</tr>")
		}
		r.b.WriteString("\n</tbody>")
	}
	r.b.WriteString("\n</table></div>")
}

func (r *renderer) inline(s string) {
	p := inlineParser{src: s, codeMiss: map[[2]int]int{}}
	p.render(&r.b, 0, len(s), true)
}

// inlineParser renders the text of one paragraph, heading or table cell: code spans,
// links and escapes are resolved in one pass, then emphasis is matched with CommonMark's
// delimiter algorithm. Both stay linear in the text's length whatever is typed.
type inlineParser struct {
	src string
	// codeMiss[{n, to}] is the position from which no closing run of n backticks exists
	// before to: a body full of unmatched backticks costs one pass, not one per backtick.
	codeMiss map[[2]int]int
	// brackets[i] is the index of the ] matching the [ at i (computed once, on demand).
	brackets map[int]int
}

// inode is a piece of rendered inline text: escaped text, markup this file wrote, or a
// run of * or _ that may become emphasis.
type inode struct {
	html string // for text and markup: what to write; empty for a delimiter run
	// A delimiter run: its character, how many of its characters are still text, how
	// many it had, and the tags matched emphasis put around what remains.
	ch                 byte
	count, orig        int
	canOpen, canClose  bool
	openTags, endTags  []string
	prev, next         int // neighbours in the list of delimiters still in play
	isDelim, inTheList bool
}

func isASCIIPunct(c byte) bool {
	return c < utf8.RuneSelf && (unicode.IsPunct(rune(c)) || strings.IndexByte("$+<=>^`|~", c) >= 0)
}

// render writes src[from:to]; links is false inside a link's text, where links cannot nest.
func (p *inlineParser) render(out *strings.Builder, from, to int, links bool) {
	s := p.src
	var nodes []inode
	var pending strings.Builder
	textUpTo := func(i, plain int) {
		pending.WriteString(html.EscapeString(s[plain:i]))
	}
	markup := func(h string) {
		pending.WriteString(h)
	}
	flush := func() {
		if pending.Len() > 0 {
			nodes = append(nodes, inode{html: pending.String()})
			pending.Reset()
		}
	}
	plain := from
	for i := from; i < to; {
		c := s[i]
		switch {
		case c == '\\' && i+1 < to && s[i+1] == '\n':
			textUpTo(i, plain)
			markup("<br>\n")
			i += 2
			plain = i
		case c == '\\' && i+1 < to && isASCIIPunct(s[i+1]):
			textUpTo(i, plain)
			markup(html.EscapeString(s[i+1 : i+2]))
			i += 2
			plain = i
		case c == '\n':
			// Two or more spaces before a line's end break the line there, as typed.
			chunk := s[plain:i]
			trimmed := strings.TrimRight(chunk, " ")
			pending.WriteString(html.EscapeString(trimmed))
			if len(chunk)-len(trimmed) >= 2 {
				markup("<br>")
			}
			markup("\n")
			i++
			plain = i
		case c == '`':
			n := runLength(s, i, to, '`')
			if code, end, ok := p.codeSpan(i, n, to); ok {
				textUpTo(i, plain)
				markup("<code>" + html.EscapeString(code) + "</code>")
				i, plain = end, end
			} else {
				// An unmatched run of backticks is text, all of it.
				i += n
			}
		case c == '<' && links:
			if href, label, end, ok := p.autolink(i, to); ok {
				textUpTo(i, plain)
				markup(`<a href="` + html.EscapeString(href) + `">` + html.EscapeString(label) + "</a>")
				i, plain = end, end
			} else {
				i++
			}
		case (c == '[' || (c == '!' && i+1 < to && s[i+1] == '[')) && links:
			if textFrom, textTo, href, safe, end, ok := p.link(i, to); ok {
				textUpTo(i, plain)
				if safe {
					markup(`<a href="` + html.EscapeString(href) + `">`)
				}
				var inner strings.Builder
				p.render(&inner, textFrom, textTo, false)
				markup(inner.String())
				if safe {
					markup("</a>")
				}
				i, plain = end, end
			} else {
				i++
			}
		case c == '*' || c == '_':
			textUpTo(i, plain)
			flush()
			n := runLength(s, i, to, c)
			open, closes := flanking(s, i, i+n, c)
			nodes = append(nodes, inode{isDelim: true, ch: c, count: n, orig: n, canOpen: open, canClose: closes})
			i += n
			plain = i
		default:
			i++
		}
	}
	textUpTo(to, plain)
	flush()
	matchEmphasis(nodes)
	for _, n := range nodes {
		if !n.isDelim {
			out.WriteString(n.html)
			continue
		}
		for _, t := range n.endTags {
			out.WriteString(t)
		}
		out.WriteString(strings.Repeat(string(n.ch), n.count))
		for i := len(n.openTags) - 1; i >= 0; i-- {
			out.WriteString(n.openTags[i])
		}
	}
}

func runLength(s string, i, to int, c byte) int {
	n := 0
	for i+n < to && s[i+n] == c {
		n++
	}
	return n
}

// flanking says whether the run s[i:j] of c may open and close emphasis (CommonMark's
// left- and right-flanking rules; _ inside a word, as in snake_case, does neither).
func flanking(s string, i, j int, c byte) (canOpen, canClose bool) {
	before, after := ' ', ' '
	if i > 0 {
		before, _ = utf8.DecodeLastRuneInString(s[:i])
	}
	if j < len(s) {
		after, _ = utf8.DecodeRuneInString(s[j:])
	}
	spaceB, spaceA := unicode.IsSpace(before), unicode.IsSpace(after)
	punctB, punctA := isPunct(before), isPunct(after)
	left := !spaceA && (!punctA || spaceB || punctB)
	right := !spaceB && (!punctB || spaceA || punctA)
	if c == '_' {
		return left && (!right || punctB), right && (!left || punctA)
	}
	return left, right
}

func isPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// matchEmphasis pairs delimiter runs into <em> and <strong> as CommonMark's "process
// emphasis" does, with its bound on how far back each closer looks.
func matchEmphasis(nodes []inode) {
	first := -1
	last := -1
	for i := range nodes {
		if !nodes[i].isDelim {
			continue
		}
		nodes[i].prev, nodes[i].next, nodes[i].inTheList = last, -1, true
		if last >= 0 {
			nodes[last].next = i
		} else {
			first = i
		}
		last = i
	}
	remove := func(i int) {
		n := &nodes[i]
		if n.prev >= 0 {
			nodes[n.prev].next = n.next
		}
		if n.next >= 0 {
			nodes[n.next].prev = n.prev
		}
		n.inTheList = false
	}
	type bottomKey struct {
		ch      byte
		canOpen bool
		mod     int
	}
	bottom := map[bottomKey]int{}
	for cur := first; cur >= 0; {
		c := &nodes[cur]
		if !c.canClose {
			cur = c.next
			continue
		}
		key := bottomKey{c.ch, c.canOpen, c.orig % 3}
		floor, bounded := bottom[key]
		opener := -1
		for o := c.prev; o >= 0 && (!bounded || o > floor); o = nodes[o].prev {
			on := &nodes[o]
			if on.ch != c.ch || !on.canOpen {
				continue
			}
			// The "rule of three": ***a** b* must not pair a run that could both open and
			// close with one whose lengths add up to a multiple of three.
			if (on.canClose || c.canOpen) && (on.orig+c.orig)%3 == 0 && !(on.orig%3 == 0 && c.orig%3 == 0) {
				continue
			}
			opener = o
			break
		}
		if opener < 0 {
			bottom[key] = c.prev
			next := c.next
			if !c.canOpen {
				remove(cur)
			}
			cur = next
			continue
		}
		on := &nodes[opener]
		use := 1
		if on.count >= 2 && c.count >= 2 {
			use = 2
		}
		open, end := "<em>", "</em>"
		if use == 2 {
			open, end = "<strong>", "</strong>"
		}
		on.count -= use
		c.count -= use
		on.openTags = append(on.openTags, open)
		c.endTags = append(c.endTags, end)
		// Runs between the pair can no longer match anything outside it: they stay text.
		for m := on.next; m >= 0 && m != cur; m = nodes[m].next {
			remove(m)
		}
		on.next, c.prev = cur, opener
		if on.count == 0 {
			remove(opener)
		}
		if c.count == 0 {
			next := c.next
			remove(cur)
			cur = next
		}
	}
}

// codeSpan finds the code span opened by the n backticks at i: its content and where it
// ends.
func (p *inlineParser) codeSpan(i, n, to int) (string, int, bool) {
	s := p.src
	key := [2]int{n, to}
	if miss, ok := p.codeMiss[key]; ok && i >= miss {
		return "", 0, false
	}
	for j := i + n; j < to; {
		if s[j] != '`' {
			j++
			continue
		}
		m := runLength(s, j, to, '`')
		if m == n {
			code := strings.ReplaceAll(s[i+n:j], "\n", " ")
			if len(code) > 2 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.Trim(code, " ") != "" {
				code = code[1 : len(code)-1]
			}
			return code, j + m, true
		}
		j += m
	}
	p.codeMiss[key] = i
	return "", 0, false
}

var autolinkPattern = regexp.MustCompile(`^<((?i:https?://|mailto:)[^\s<>]+)>`)

// autolink reads <https://...> or <mailto:...> at i.
func (p *inlineParser) autolink(i, to int) (href, label string, end int, ok bool) {
	m := autolinkPattern.FindStringSubmatch(p.src[i:to])
	if m == nil {
		return "", "", 0, false
	}
	href, ok = SafeLinkURL(m[1])
	if !ok {
		return "", "", 0, false
	}
	label = m[1]
	if strings.EqualFold(label[:min(7, len(label))], "mailto:") {
		label = label[7:]
	}
	return href, label, i + len(m[0]), true
}

// link reads [text](destination) at i: where its text is, its address if that is safe,
// and where it ends. An image, ![alt](src), is read as a link to it: pages show no
// pictures from elsewhere. An unsafe destination leaves the text without a link.
func (p *inlineParser) link(i, to int) (textFrom, textTo int, href string, safe bool, end int, ok bool) {
	s := p.src
	open := i
	if s[i] == '!' {
		open++
	}
	closeBracket, found := p.matchBracket(open)
	if !found || closeBracket+1 >= to || s[closeBracket+1] != '(' {
		return
	}
	j := closeBracket + 2
	for j < to && s[j] == ' ' {
		j++
	}
	to = min(to, j+2*maxLinkPart)
	destStart := j
	angle := j < to && s[j] == '<'
	if angle {
		e := strings.IndexAny(s[j+1:min(to, j+1+maxLinkPart)], ">\n")
		if e < 0 || s[j+1+e] != '>' {
			return
		}
		destStart, j = j+1, j+1+e
	} else {
		parens := 0
		for j < to && j-destStart < maxLinkPart && s[j] != ' ' && s[j] != '\n' {
			if s[j] == '(' {
				parens++
			} else if s[j] == ')' {
				if parens == 0 {
					break
				}
				parens--
			}
			j++
		}
	}
	dest := s[destStart:j]
	if angle {
		j++
	}
	// An optional title ("..." or '...') is accepted and not shown.
	for j < to && (s[j] == ' ' || s[j] == '\n') {
		j++
	}
	if j < to && (s[j] == '"' || s[j] == '\'') {
		e := strings.IndexByte(s[j+1:min(to, j+1+maxLinkPart)], s[j])
		if e < 0 {
			return
		}
		j += e + 2
		for j < to && (s[j] == ' ' || s[j] == '\n') {
			j++
		}
	}
	if j >= to || s[j] != ')' {
		return
	}
	href, safe = SafeLinkURL(unescapeDest(dest))
	return open + 1, closeBracket, href, safe, j + 1, true
}

// matchBracket is the index of the ] closing the [ at open. All pairs of the text are
// matched in one pass the first time, so a text of a thousand [ costs one pass too.
func (p *inlineParser) matchBracket(open int) (int, bool) {
	if p.brackets == nil {
		p.brackets = map[int]int{}
		var stack []int
		s := p.src
		for j := 0; j < len(s); j++ {
			switch s[j] {
			case '\\':
				j++
			case '[':
				stack = append(stack, j)
			case ']':
				if len(stack) > 0 {
					p.brackets[stack[len(stack)-1]] = j
					stack = stack[:len(stack)-1]
				}
			}
		}
	}
	c, ok := p.brackets[open]
	return c, ok
}

func unescapeDest(d string) string {
	if !strings.Contains(d, `\`) {
		return d
	}
	var b strings.Builder
	for i := 0; i < len(d); i++ {
		if d[i] == '\\' && i+1 < len(d) && isASCIIPunct(d[i+1]) {
			i++
		}
		b.WriteByte(d[i])
	}
	return b.String()
}

// SafeLinkURL returns the address a link may point to, and false for anything but a web
// address (http, https), an email (mailto), a phone number (tel), or a path, query or
// fragment of this shop. Browsers ignore tabs and line breaks inside a scheme
// ("java\tscript:"), so an address with any space or control character is refused whole.
func SafeLinkURL(raw string) (string, bool) {
	u := strings.TrimSpace(raw)
	if u == "" || strings.ContainsFunc(u, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return "", false
	}
	// Backslashes are slashes to a browser: "/\evil.example" is another host.
	if strings.Contains(u, `\`) {
		return "", false
	}
	if strings.HasPrefix(u, "//") {
		return "", false
	}
	if u[0] == '/' || u[0] == '#' || u[0] == '?' {
		return u, true
	}
	colon := strings.IndexByte(u, ':')
	if colon < 0 || strings.ContainsAny(u[:colon], "/?#") {
		// A relative path such as "pages/about": no scheme.
		return u, true
	}
	switch strings.ToLower(u[:colon]) {
	case "http", "https":
		if !strings.HasPrefix(u[colon:], "://") || len(u) == colon+3 {
			return "", false
		}
		return u, true
	case "mailto", "tel":
		if len(u) == colon+1 {
			return "", false
		}
		return u, true
	}
	return "", false
}

var renderedTag = regexp.MustCompile(`<[^>]*>`)

// Summary is the body's first paragraph as plain text, cut at a word to at most n
// characters: a page's meta description.
func Summary(src string, n int) string {
	for _, b := range parseBlocks(strings.Split(normalizeSource(src), "\n"), 0) {
		if b.kind != blockParagraph {
			continue
		}
		var r renderer
		r.inline(b.text)
		// The renderer writes tags only where it means them; every < of the text is
		// escaped, so removing tags leaves exactly the text.
		text := strings.Join(strings.Fields(html.UnescapeString(renderedTag.ReplaceAllString(r.b.String(), ""))), " ")
		if utf8.RuneCountInString(text) <= n {
			return text
		}
		cut := string([]rune(text)[:n-1])
		if i := strings.LastIndexByte(cut, ' '); i > n/2 {
			cut = cut[:i]
		}
		return strings.TrimRight(cut, " ,;:.") + "…"
	}
	return ""
}
