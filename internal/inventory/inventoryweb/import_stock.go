package inventoryweb

import (
	"errors"
	"net/http"

	"github.com/monoshop/monoshop/internal/platform/apperr"
)

// importStock runs a stock CSV import (or its dry run) and shows the report on the page it
// answers with, not after a redirect: the report exists only for this upload. The service
// writes nothing when any line has a problem.
func (h *Handler) importStock(w http.ResponseWriter, r *http.Request) {
	if !h.render.BodyReadable(w, r, r.ParseMultipartForm(uploadMemory)) {
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	v := importView{DryRun: r.PostFormValue("dry_run") != ""}
	file, _, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		v.Problem = fieldProblem("file", "Choose a CSV file to import.")
		h.render.Page(w, r, http.StatusUnprocessableEntity, importPage(v))
		return
	}
	if err != nil {
		h.render.Status(w, r, http.StatusBadRequest)
		return
	}
	defer file.Close()
	report, err := h.inv.ImportLevelsCSV(r.Context(), h.actor(r), h.opts.Variants, file, v.DryRun)
	if err != nil {
		if !apperr.Is(err, apperr.Invalid) {
			h.render.Error(w, r, err)
			return
		}
		v.Problem = problem{Message: "Nothing was imported.", Fields: map[string]string{"file": apperr.MessageOf(err)}}
		h.render.Page(w, r, http.StatusUnprocessableEntity, importPage(v))
		return
	}
	v.Report = &report
	status := http.StatusOK
	if len(report.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	h.render.Page(w, r, status, importPage(v))
}
