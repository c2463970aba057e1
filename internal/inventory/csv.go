package inventory

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/inventory/internal/dbsqlc"
	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"
)

// StockCSVColumns are the columns a stock import needs, one line per variant and location:
// the quantity counted on the shelf. Other columns are ignored, so a spreadsheet with
// extra notes imports as it is.
var StockCSVColumns = []string{"sku", "location", "on_hand"}

// MaxStockImportRows bounds one import file: a 10,000-product catalog has about 150,000
// variants, each at a location or two.
const MaxStockImportRows = 400_000

// maxOnHand is the largest quantity a level may be set to (the same bound as Adjust).
const maxOnHand = 10_000_000

// Reports list at most this many problems and changes; the counts say how many there were.
const (
	maxReportedImportErrors  = 500
	maxReportedImportChanges = 1000
)

// StockImportReport says what a stock import did, or would do in a dry run.
type StockImportReport struct {
	DryRun  bool
	Applied bool
	// Rows counts the data lines read.
	Rows      int
	Changed   int
	Unchanged int
	// Changes lists the levels that change (the first maxReportedImportChanges of them).
	Changes []StockImportChange
	Errors  []StockImportError
}

// StockImportChange is one level an import sets.
type StockImportChange struct {
	Line          int
	SKU, Location string
	Before, After int
}

// StockImportError is one problem of one line of the file.
type StockImportError struct {
	Line    int
	Column  string
	Message string
}

// SKUResolver finds variants by SKU; the catalog owns SKUs (cmd/shop adapts it).
type SKUResolver interface {
	// VariantsBySKU maps each known SKU, lower-cased, to its variant.
	VariantsBySKU(ctx context.Context, skus []string) (map[string]int64, error)
}

// stockRow is one parsed line.
type stockRow struct {
	line          int
	sku, location string
	onHand        int
	variant       int64
	locationID    int64
}

// ImportLevelsCSV sets stock levels from a CSV of counted quantities (columns sku,
// location, on_hand). Every line is checked first (the SKU and the location exist, the
// quantity is a whole number that does not fall below what orders already hold, no level
// appears twice); if any line has a problem the report lists each with its line number
// and nothing is written. A dry run checks and reports the changes without writing.
//
// Applied changes are ledger entries with reason "import", written in one transaction
// under the same row locks as every other writer, so an import never loses an order's
// reservation that happened while it ran.
func (s *Service) ImportLevelsCSV(ctx context.Context, actor audit.Actor, skus SKUResolver, r io.Reader, dryRun bool) (StockImportReport, error) {
	rep := StockImportReport{DryRun: dryRun}
	rows, lines, readable := parseStockCSV(r, &rep)
	rep.Rows = lines
	if !readable {
		return rep, nil
	}
	// The look-ups run even when some lines were refused already, so one upload reports
	// every problem the file has (except those that depend on the others being fixed).
	if err := s.resolveStockRows(ctx, skus, rows, &rep); err != nil {
		return rep, err
	}
	if len(rep.Errors) == 0 {
		if err := s.planStockImport(ctx, rows, &rep); err != nil {
			return rep, err
		}
	}
	if len(rep.Errors) > 0 {
		slices.SortStableFunc(rep.Errors, func(a, b StockImportError) int { return cmp.Compare(a.Line, b.Line) })
		rep.Changed, rep.Unchanged, rep.Changes = 0, 0, nil
		return rep, nil
	}
	if dryRun || rep.Changed == 0 {
		return rep, nil
	}

	// Lock in (variant, location) order, the order every writer follows.
	slices.SortFunc(rows, func(a, b stockRow) int {
		return cmp.Or(cmp.Compare(a.variant, b.variant), cmp.Compare(a.locationID, b.locationID))
	})
	var applied StockImportReport
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		applied = StockImportReport{DryRun: false, Rows: rep.Rows}
		for _, row := range rows {
			if err := s.applyStockRow(ctx, tx, actor, row, &applied); err != nil {
				return err
			}
		}
		if len(applied.Errors) > 0 {
			return errStockImportRefused
		}
		if s.audit != nil {
			return s.audit.RecordTx(ctx, tx, audit.Entry{Actor: actor, Action: "stock.import", ObjectType: "stock_level",
				Changes: map[string]audit.Change{"rows": {After: applied.Rows}, "changed": {After: applied.Changed}}})
		}
		return nil
	})
	if errors.Is(err, errStockImportRefused) {
		// Orders reserved stock between the check and the write: report it by line, as
		// the check would have, with nothing written.
		rep.Errors = applied.Errors
		return rep, nil
	}
	if err != nil {
		return rep, err
	}
	slices.SortFunc(applied.Changes, func(a, b StockImportChange) int { return cmp.Compare(a.Line, b.Line) })
	applied.Applied = true
	return applied, nil
}

// errStockImportRefused rolls the import's transaction back when a line turned invalid
// while it ran.
var errStockImportRefused = errors.New("inventory: stock import refused")

// parseStockCSV reads and checks every line on its own and against the lines before it,
// adding problems to rep. It returns the valid rows, how many data lines it read, and
// whether the file could be read as a whole (a missing column or broken CSV stops it).
func parseStockCSV(r io.Reader, rep *StockImportReport) (rows []stockRow, lines int, readable bool) {
	add := rep.addError
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		add(1, "", "The file is empty or not CSV.")
		return nil, 0, false
	}
	col := map[string]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // spreadsheet byte-order mark
		}
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range StockCSVColumns {
		if _, ok := col[c]; !ok {
			add(1, c, "This column is missing from the header line.")
		}
	}
	if len(rep.Errors) > 0 {
		return nil, 0, false
	}

	seen := map[[2]string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			add(perr.Line, "", "This line is not valid CSV: "+csvProblem(perr)+".")
			return nil, lines, false
		}
		if err != nil {
			add(0, "", "The file could not be read to the end.")
			return nil, lines, false
		}
		line, _ := cr.FieldPos(0)
		if lines >= MaxStockImportRows {
			add(line, "", fmt.Sprintf("The file has more than %d lines; split it into several imports.", MaxStockImportRows))
			return nil, lines, false
		}
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if slices.IndexFunc(rec, func(f string) bool { return strings.TrimSpace(f) != "" }) < 0 {
			continue // a blank line a spreadsheet left at the end
		}
		lines++
		row := stockRow{line: line, sku: get("sku"), location: get("location")}
		ok := true
		switch {
		case row.sku == "":
			add(line, "sku", "Enter the variant's SKU.")
			ok = false
		case len(row.sku) > 64 || !utf8.ValidString(row.sku):
			add(line, "sku", "A SKU has at most 64 characters.")
			ok = false
		}
		switch {
		case row.location == "":
			add(line, "location", "Enter the name of a stock location.")
			ok = false
		case len(row.location) > 120 || !utf8.ValidString(row.location):
			add(line, "location", "A location name has at most 120 characters.")
			ok = false
		}
		qty := get("on_hand")
		n, err := strconv.Atoi(qty)
		switch {
		case qty == "":
			add(line, "on_hand", "Enter the quantity on hand.")
			ok = false
		case err != nil:
			add(line, "on_hand", fmt.Sprintf("%q is not a whole number.", truncate(qty, 20)))
			ok = false
		case n < 0 || n > maxOnHand:
			add(line, "on_hand", "Enter a quantity between 0 and 10,000,000.")
			ok = false
		}
		row.onHand = n
		if ok {
			key := [2]string{strings.ToLower(row.sku), strings.ToLower(row.location)}
			if prev, dup := seen[key]; dup {
				add(line, "sku", fmt.Sprintf("This SKU and location are already on line %d.", prev))
				ok = false
			} else {
				seen[key] = line
			}
		}
		if ok {
			rows = append(rows, row)
		}
	}
	return rows, lines, true
}

// addError records a problem of one line, up to the report's limit.
func (rep *StockImportReport) addError(line int, col, msg string) {
	if len(rep.Errors) < maxReportedImportErrors {
		rep.Errors = append(rep.Errors, StockImportError{Line: line, Column: col, Message: msg})
	}
}

// resolveStockRows finds each row's variant and location, reporting the unknown ones.
func (s *Service) resolveStockRows(ctx context.Context, skus SKUResolver, rows []stockRow, rep *StockImportReport) error {
	add := rep.addError
	locs, err := s.Locations(ctx)
	if err != nil {
		return err
	}
	locByName := make(map[string]int64, len(locs))
	for _, l := range locs {
		locByName[strings.ToLower(l.Name)] = l.ID
	}
	wanted := make([]string, 0, len(rows))
	for _, r := range rows {
		wanted = append(wanted, r.sku)
	}
	slices.Sort(wanted)
	found, err := skus.VariantsBySKU(ctx, slices.Compact(wanted))
	if err != nil {
		return err
	}
	for i := range rows {
		r := &rows[i]
		if id, ok := found[strings.ToLower(r.sku)]; ok {
			r.variant = id
		} else {
			add(r.line, "sku", "No product variant has this SKU.")
		}
		if id, ok := locByName[strings.ToLower(r.location)]; ok {
			r.locationID = id
		} else {
			add(r.line, "location", fmt.Sprintf("There is no location called %q; create it under Locations first.", truncate(r.location, 60)))
		}
	}
	return nil
}

// planStockImport compares each row with the level as it is now: what changes, and
// whether any quantity falls below what orders hold.
func (s *Service) planStockImport(ctx context.Context, rows []stockRow, rep *StockImportReport) error {
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.variant)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	levels, err := s.LevelsOf(ctx, ids)
	if err != nil {
		return err
	}
	stock, err := s.Availability(ctx, ids)
	if err != nil {
		return err
	}
	for _, r := range rows {
		var before, reserved int
		for _, l := range levels[r.variant] {
			if l.LocationID == r.locationID {
				before, reserved = l.OnHand, l.Reserved
			}
		}
		if r.onHand < reserved && !stock[r.variant].AllowBackorder {
			rep.addError(r.line, "on_hand", fmt.Sprintf("Orders hold %d here; the quantity on hand cannot go below that.", reserved))
			continue
		}
		rep.count(r, before)
	}
	return nil
}

// count records the row's change (or that it changes nothing).
func (rep *StockImportReport) count(r stockRow, before int) {
	if before == r.onHand {
		rep.Unchanged++
		return
	}
	rep.Changed++
	if len(rep.Changes) < maxReportedImportChanges {
		rep.Changes = append(rep.Changes, StockImportChange{Line: r.line, SKU: r.sku, Location: r.location, Before: before, After: r.onHand})
	}
}

// applyStockRow sets one level inside the import's transaction.
func (s *Service) applyStockRow(ctx context.Context, tx pgx.Tx, actor audit.Actor, r stockRow, rep *StockImportReport) error {
	if err := s.q.ItemEnsure(ctx, tx, r.variant); err != nil {
		return interpretError(err, "item")
	}
	if err := s.q.LevelEnsure(ctx, tx, dbsqlc.LevelEnsureParams{VariantID: r.variant, LocationID: r.locationID}); err != nil {
		return interpretError(err, "stock")
	}
	cur, err := s.q.LevelLock(ctx, tx, dbsqlc.LevelLockParams{VariantID: r.variant, LocationID: r.locationID})
	if err != nil {
		return interpretError(err, "stock")
	}
	if r.onHand < int(cur.Reserved) && !cur.AllowBackorder {
		rep.addError(r.line, "on_hand", fmt.Sprintf("Orders hold %d here; the quantity on hand cannot go below that.", cur.Reserved))
		return nil
	}
	rep.count(r, int(cur.OnHand))
	delta := r.onHand - int(cur.OnHand)
	if delta == 0 {
		return nil
	}
	if err := s.q.LevelAddOnHandAndReserved(ctx, tx, dbsqlc.LevelAddOnHandAndReservedParams{
		DeltaOnHand: int32(delta), VariantID: r.variant, LocationID: r.locationID}); err != nil {
		return interpretError(err, "stock")
	}
	return s.move(ctx, tx, r.variant, r.locationID, delta, 0, "import", "", ptrIf(actor.ID), fmt.Sprintf("CSV line %d", r.line))
}

// csvProblem says what is wrong with a line in words, without Go's error prefix.
func csvProblem(err *csv.ParseError) string {
	switch {
	case errors.Is(err.Err, csv.ErrQuote), errors.Is(err.Err, csv.ErrBareQuote):
		return "a quote is not closed or stands inside a field"
	case errors.Is(err.Err, csv.ErrFieldCount):
		return "it has the wrong number of fields"
	}
	return "it cannot be read"
}

// truncate shortens what a message repeats of the file.
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
