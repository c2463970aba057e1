package main

import (
	"fmt"
	"net/url"
	"strings"
)

// htmlForm is a form as a browser would submit it with its submit button: what it posts
// to and the values of its successful controls, which the shop may have more of than
// loadgen knows (hidden version fields, attribute rows, category boxes). A scenario
// changes the fields it means to and posts the rest back untouched.
type htmlForm struct {
	action string
	values url.Values
	// readOnly is a form whose controls sit in a disabled fieldset: the shop shows it to
	// someone who may look but not change.
	readOnly bool
}

// readForm collects the successful controls of form, as the HTML standard defines
// them for a submission without a named button: inputs (checkboxes and radios only when
// checked, buttons and files never), the selected option of each select (the first when
// none is marked), and the text of each textarea. Disabled controls are left out.
func readForm(form *node) htmlForm {
	f := htmlForm{values: url.Values{}}
	f.action, _ = form.attr("action")
	var walk func(n *node, disabled bool)
	walk = func(n *node, disabled bool) {
		for _, c := range n.children {
			if c.tag == "" {
				continue
			}
			_, off := c.attr("disabled")
			name, _ := c.attr("name")
			switch c.tag {
			case "fieldset":
				if off {
					f.readOnly = true
				}
				walk(c, disabled || off)
				continue
			case "input":
				if disabled || off || name == "" {
					continue
				}
				typ, _ := c.attr("type")
				value, hasValue := c.attr("value")
				_, checked := c.attr("checked")
				switch strings.ToLower(typ) {
				case "submit", "button", "image", "reset", "file":
				case "checkbox", "radio":
					if checked {
						if !hasValue {
							value = "on"
						}
						f.values.Add(name, value)
					}
				default:
					f.values.Add(name, value)
				}
				continue
			case "select":
				if disabled || off || name == "" {
					continue
				}
				var first, chosen *node
				for _, o := range c.findAll(func(n *node) bool { return n.tag == "option" }) {
					if first == nil {
						first = o
					}
					if _, sel := o.attr("selected"); sel && chosen == nil {
						chosen = o
					}
				}
				if chosen == nil {
					chosen = first
				}
				if chosen != nil {
					v, ok := chosen.attr("value")
					if !ok {
						v = chosen.textContent()
					}
					f.values.Add(name, v)
				}
				continue
			case "textarea":
				if !disabled && !off && name != "" {
					f.values.Add(name, rawText(c))
				}
				continue
			}
			walk(c, disabled)
		}
	}
	walk(form, false)
	return f
}

// rawText is the text below n as written (entities decoded, white space kept), which is
// what a textarea submits.
func rawText(n *node) string {
	var b strings.Builder
	var walk func(*node)
	walk = func(p *node) {
		for _, c := range p.children {
			if c.tag == "" {
				b.WriteString(c.text)
			}
			walk(c)
		}
	}
	walk(n)
	// Browsers drop one newline right after <textarea>, which lets a template put the
	// text on a line of its own.
	s := b.String()
	if rest, ok := strings.CutPrefix(s, "\r\n"); ok {
		return rest
	}
	return strings.TrimPrefix(s, "\n")
}

// formByTestID reads the form carrying data-testid="id" on page and resolves its action
// against the page's URL (an empty action posts to the page itself).
func formByTestID(page *node, pageURL *url.URL, id string) (htmlForm, error) {
	forms := page.findAll(func(n *node) bool { return n.tag == "form" && n.hasTestID(id) })
	if len(forms) == 0 {
		return htmlForm{}, fmt.Errorf(`no form data-testid="%s" on %s`, id, pageURL.Path)
	}
	f := readForm(forms[0])
	ref, err := url.Parse(f.action)
	if err != nil {
		return htmlForm{}, fmt.Errorf(`form data-testid="%s": action %q: %w`, id, f.action, err)
	}
	f.action = pageURL.ResolveReference(ref).String()
	return f, nil
}
