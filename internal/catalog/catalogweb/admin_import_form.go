package catalogweb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/monoshop/monoshop/internal/catalog"
)

// importView is the import page: the upload form and, after an upload, its report.
type importView struct {
	DryRun   bool
	ReadOnly bool
	Problem  adminProblem
	Report   *catalog.ImportReport
}

// adminImportForm shows the CSV upload form. "Dry run" starts ticked: the safe first step
// is to see what an import would do.
func (h *Handler) adminImportForm(w http.ResponseWriter, r *http.Request) {
	h.render.Page(w, r, http.StatusOK, adminImportPage(importView{DryRun: true, ReadOnly: !h.canEdit(r)}))
}

// importProblemCount says how many problems the file has.
func importProblemCount(n int) string {
	if n == 1 {
		return "1 problem"
	}
	return strconv.Itoa(n) + " problems"
}

// importVerb labels a count of the report: a dry run says what it would do.
func importVerb(rep catalog.ImportReport, verb string) string {
	if rep.DryRun {
		return "Would be " + strings.ToLower(verb)
	}
	return verb
}
