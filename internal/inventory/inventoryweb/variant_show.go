package inventoryweb

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/monoshop/monoshop/internal/inventory"
	"github.com/monoshop/monoshop/internal/platform/apperr"
	"github.com/monoshop/monoshop/web"
)

// variantView is one variant's stock page: its levels with an adjust form each, the
// transfer and policy forms, and its movement history.
type variantView struct {
	ID        int64
	SKU, Name string
	State     stockState
	OnHand    int
	Reserved  int
	Available int
	Levels    []levelRowVM
	// Locations are the transfer form's choices.
	Locations []web.Option
	CanEdit   bool
	Transfer  transferForm
	Policy    policyForm
	Movements []movementVM
}

// levelRowVM is the variant's stock at one location with its adjust form.
type levelRowVM struct {
	LocationID   string
	LocationName string
	Active       bool
	OnHand       int
	Reserved     int
	Available    int
	Form         adjustForm
}

// adjustForm is what one level's adjust form shows. Expected is the on-hand quantity the
// page showed, sent back with the change so that a change made meanwhile by someone else
// (or an order) is refused rather than overwritten.
type adjustForm struct {
	Expected string
	OnHand   string
	Reason   string
	Problem  problem
	// Stale says the last submission was refused because the level had changed; the page
	// now shows (and expects) the current quantity, and keeps what was typed.
	Stale bool
}

// transferForm is the transfer form's values and problems.
type transferForm struct {
	From, To, Quantity, Note string
	Problem                  problem
}

// policyForm is the backorder and low-stock form.
type policyForm struct {
	AllowBackorder bool
	Threshold      string
	Problem        problem
}

// movementVM is one ledger entry.
type movementVM struct {
	When          time.Time
	Location      string
	Reason        string
	DeltaOnHand   string
	DeltaReserved string
	Ref           string
	Note          string
	Actor         string
}

// submitted carries a refused form back into the page, so it is re-rendered with its
// messages and what was typed; the other forms show the current values.
type submitted struct {
	adjustLocation int64
	adjust         *adjustForm
	transfer       *transferForm
	policy         *policyForm
}

// variantShow is a variant's stock page.
func (h *Handler) variantShow(w http.ResponseWriter, r *http.Request) {
	id, ok := web.URLID(r, "id")
	if !ok {
		h.render.NotFound(w, r)
		return
	}
	h.renderVariant(w, r, id, http.StatusOK, submitted{})
}

// errNoVariant is the answer for a variant neither the catalog nor inventory knows.
var errNoVariant = apperr.New(apperr.NotFound, "We couldn't find that variant.")

// renderVariant shows the variant page with status, re-filling a refused form from sub.
func (h *Handler) renderVariant(w http.ResponseWriter, r *http.Request, id int64, status int, sub submitted) {
	ctx := r.Context()
	labels, err := h.opts.Variants.DescribeVariants(ctx, []int64{id})
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	label, known := labels[id]
	stocks, err := h.inv.Availability(ctx, []int64{id})
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	stock := stocks[id]
	if !known && !stock.Tracked {
		h.render.Error(w, r, errNoVariant)
		return
	}
	locs, err := h.inv.Locations(ctx)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	levels, err := h.inv.Levels(ctx, id)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	moves, err := h.inv.Movements(ctx, id, movementsShown)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}

	v := variantView{ID: id, SKU: label.SKU, Name: variantName(label, known, id), State: stateOf(stock),
		OnHand: stock.OnHand, Reserved: stock.Reserved, Available: stock.Available(), CanEdit: h.canEdit(r)}
	byLoc := map[int64]inventory.Level{}
	for _, l := range levels {
		byLoc[l.LocationID] = l
	}
	names := map[int64]string{}
	for _, loc := range locs {
		names[loc.ID] = loc.Name
		l, stocked := byLoc[loc.ID]
		// Every active location is offered, so a first delivery can be booked anywhere;
		// an inactive one only while it still holds this variant.
		if !loc.Active && !stocked {
			continue
		}
		row := levelRowVM{LocationID: strconv.FormatInt(loc.ID, 10), LocationName: loc.Name, Active: loc.Active,
			OnHand: l.OnHand, Reserved: l.Reserved, Available: max(0, l.OnHand-l.Reserved)}
		row.Form = adjustForm{Expected: strconv.Itoa(l.OnHand), OnHand: strconv.Itoa(l.OnHand)}
		if sub.adjust != nil && sub.adjustLocation == loc.ID {
			typed := *sub.adjust
			// The hidden quantity is always what this page shows now: after a stale
			// refusal, saving again is a decision made knowing the new quantity.
			typed.Expected = row.Form.Expected
			row.Form = typed
		}
		v.Levels = append(v.Levels, row)
		label := loc.Name
		if !loc.Active {
			label += " (inactive)"
		}
		v.Locations = append(v.Locations, web.Option{Value: row.LocationID, Label: label})
	}
	if sub.transfer != nil {
		v.Transfer = *sub.transfer
	} else if len(v.Locations) > 1 {
		// From the first location to the next: the form starts on a valid choice.
		v.Transfer = transferForm{From: v.Locations[0].Value, To: v.Locations[1].Value}
	}
	v.Policy = policyForm{AllowBackorder: stock.AllowBackorder, Threshold: strconv.Itoa(stock.LowStockThreshold)}
	if !stock.Tracked {
		v.Policy.Threshold = "5" // the schema's default for a new item
	}
	if sub.policy != nil {
		v.Policy = *sub.policy
	}
	for _, m := range moves {
		v.Movements = append(v.Movements, movementVM{
			When: m.CreatedAt, Location: orUnknown(names[m.LocationID], m.LocationID), Reason: reasonLabel(m.Reason),
			DeltaOnHand: signed(m.DeltaOnHand), DeltaReserved: signed(m.DeltaReserved), Ref: m.Ref, Note: m.Note,
			Actor: actorLabel(m.ActorID),
		})
	}
	h.render.Page(w, r, status, variantPage(v))
}

// variantExists reports whether a change may be made to variant id: the catalog knows it,
// or inventory already keeps stock of it. A hand-made URL must not create stock records
// for a variant that does not exist.
func (h *Handler) variantExists(ctx context.Context, id int64) (bool, error) {
	labels, err := h.opts.Variants.DescribeVariants(ctx, []int64{id})
	if err != nil {
		return false, err
	}
	if _, ok := labels[id]; ok {
		return true, nil
	}
	stock, err := h.inv.Availability(ctx, []int64{id})
	if err != nil {
		return false, err
	}
	return stock[id].Tracked, nil
}

// location returns the location a form names, if it exists.
func (h *Handler) location(ctx context.Context, id int64) (inventory.Location, bool, error) {
	locs, err := h.inv.Locations(ctx)
	if err != nil {
		return inventory.Location{}, false, err
	}
	for _, l := range locs {
		if l.ID == id {
			return l, true, nil
		}
	}
	return inventory.Location{}, false, nil
}

// reasonLabels say what each ledger reason means to staff.
var reasonLabels = map[string]string{
	"reserve":      "Reserved for an order",
	"release":      "Reservation released",
	"commit":       "Shipped",
	"adjust":       "Adjusted",
	"transfer_in":  "Transfer in",
	"transfer_out": "Transfer out",
	"import":       "CSV import",
	"return":       "Returned by a customer",
	"initial":      "Initial stock",
}

func reasonLabel(reason string) string {
	if l, ok := reasonLabels[reason]; ok {
		return l
	}
	return reason
}

func signed(n int) string {
	switch {
	case n > 0:
		return "+" + strconv.Itoa(n)
	case n == 0:
		return "–"
	}
	return "−" + strconv.Itoa(-n)
}

func actorLabel(id *int64) string {
	if id == nil {
		return "System"
	}
	return "Staff #" + strconv.FormatInt(*id, 10)
}

func orUnknown(name string, id int64) string {
	if name == "" {
		return "Location #" + strconv.FormatInt(id, 10)
	}
	return name
}
