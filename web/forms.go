package web

import (
	"strings"

	"github.com/a-h/templ"
)

func (f FieldVM) id() string {
	if f.ID != "" {
		return f.ID
	}
	return "field-" + f.Name
}

func (f FieldVM) inputType() string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

func (f FieldVM) checkboxValue() string {
	if f.Value == "" {
		return "on"
	}
	return f.Value
}

// describedBy lists the ids of the hint and error paragraphs, hint first, in the order a
// screen reader should read them.
func (f FieldVM) describedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.id()+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.id()+"-error")
	}
	return strings.Join(ids, " ")
}

func (f FieldVM) aria() templ.Attributes {
	a := templ.Attributes{}
	if f.Required {
		// Said by required too; some screen readers announce only the ARIA state.
		a["aria-required"] = "true"
	}
	if f.Error != "" {
		a["aria-invalid"] = "true"
	}
	if d := f.describedBy(); d != "" {
		a["aria-describedby"] = d
	}
	return a
}
