package inventoryweb

import (
	"net/http"
	"strconv"

	"github.com/monoshop/monoshop/internal/inventory"
)

// importView is the stock import page: the upload form and, after an upload, its report.
type importView struct {
	DryRun   bool
	ReadOnly bool
	Problem  problem
	Report   *inventory.StockImportReport
}

// importForm shows the CSV upload form. "Dry run" starts ticked: the safe first step is to
// see what an import would change.
func (h *Handler) importForm(w http.ResponseWriter, r *http.Request) {
	h.render.Page(w, r, http.StatusOK, importPage(importView{DryRun: true, ReadOnly: !h.canEdit(r)}))
}

func problemCount(n int) string {
	if n == 1 {
		return "1 problem"
	}
	return strconv.Itoa(n) + " problems"
}

// importVerb labels a count of the report: a dry run says what it would do.
func importVerb(rep inventory.StockImportReport, done, would string) string {
	if rep.DryRun {
		return would
	}
	return done
}
