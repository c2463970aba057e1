package catalogweb

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/monoshop/monoshop/internal/platform/apperr"
)

// importTimeout bounds one import request.
const importTimeout = 15 * time.Minute

// adminImport runs a CSV import (or its dry run) and shows the report on the page it
// answers with, not after a redirect: the report is too large for a flash message and
// exists only for this upload. The service writes nothing when any line has a problem.
func (h *Handler) adminImport(w http.ResponseWriter, r *http.Request) {
	// A file of 100,000 lines takes a minute or two to apply, far beyond what a page may
	// take. Its batches commit one by one, so cutting it short at the page timeout would
	// leave it half done: it gets its own deadline, and the connection waits for the report.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), importTimeout)
	defer cancel()
	r = r.WithContext(ctx)
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(importTimeout)) // not every writer supports deadlines
	_ = rc.SetWriteDeadline(time.Now().Add(importTimeout))
	if !h.render.BodyReadable(w, r, r.ParseMultipartForm(uploadMemory)) {
		return
	}
	v := importView{DryRun: r.PostFormValue("dry_run") != ""}
	file, _, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		v.Problem = fieldProblem("file", "Choose a CSV file to import.")
		h.render.Page(w, r, http.StatusUnprocessableEntity, adminImportPage(v))
		return
	}
	if err != nil {
		h.render.Status(w, r, http.StatusBadRequest)
		return
	}
	defer file.Close()
	report, err := h.catalog.ImportCSV(r.Context(), h.actor(r), file, v.DryRun)
	if err != nil {
		if !apperr.Is(err, apperr.Invalid) {
			h.render.Error(w, r, err)
			return
		}
		// The file as a whole was refused (not CSV, unknown columns): say so by the field.
		v.Problem = adminProblem{Message: "Nothing was imported.", Fields: map[string]string{"file": apperr.MessageOf(err)}}
		h.render.Page(w, r, http.StatusUnprocessableEntity, adminImportPage(v))
		return
	}
	v.Report = &report
	status := http.StatusOK
	if len(report.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	h.render.Page(w, r, status, adminImportPage(v))
}
