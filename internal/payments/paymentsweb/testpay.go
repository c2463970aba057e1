package paymentsweb

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/monoshop/monoshop/internal/payments"
	"github.com/monoshop/monoshop/internal/platform/apperr"
)

// The test gateway's hosted page plays another company's site: the shopper arrives from
// Begin's redirect, types a test card, and is sent back to the shop's return URL. The
// outcome reaches the shop only by the gateway's webhook. Card numbers go to
// TestGateway.SubmitCard and nowhere else: they are not logged, stored or echoed back
// into a re-rendered form.

// testPayShow renders the page for the session's state: the card form, the extra
// confirmation step, or the outcome with a way back to the shop.
func (h *Handler) testPayShow(w http.ResponseWriter, r *http.Request) {
	sess, err := h.svc.TestGateway().Session(r.Context(), chi.URLParam(r, "ref"))
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.renderSession(w, r, http.StatusOK, sess, "")
}

// testPaySubmit takes the card form.
func (h *Handler) testPaySubmit(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	gw := h.svc.TestGateway()
	ref := chi.URLParam(r, "ref")
	sess, err := gw.SubmitCard(ctx, ref, r.PostForm.Get("card_number"))
	if apperr.Is(err, apperr.Invalid) {
		// Not a usable test card: show the form again with the reason, unless the
		// payment was decided meanwhile (another tab), which leads on as usual.
		current, lerr := gw.Session(ctx, ref)
		if lerr != nil {
			h.render.Error(w, r, lerr)
			return
		}
		if current.State != payments.TestSessionOpen {
			h.continueAfter(w, r, current)
			return
		}
		h.renderSession(w, r, http.StatusUnprocessableEntity, current, apperr.FieldsOf(err)["card_number"])
		return
	}
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.continueAfter(w, r, sess)
}

// testPayConfirm takes the extra confirmation step's answer.
func (h *Handler) testPayConfirm(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	var complete bool
	switch r.PostForm.Get("action") {
	case "complete":
		complete = true
	case "fail":
	default:
		h.render.Status(w, r, http.StatusBadRequest)
		return
	}
	sess, err := h.svc.TestGateway().Confirm(r.Context(), chi.URLParam(r, "ref"), complete)
	if err != nil {
		h.render.Error(w, r, err)
		return
	}
	h.continueAfter(w, r, sess)
}

// continueAfter ends a form post (POST-redirect-GET): to the confirmation step while the
// card needs it, else back to the shop, which learns the outcome from the webhook.
func (h *Handler) continueAfter(w http.ResponseWriter, r *http.Request, sess payments.TestSession) {
	target := sess.ReturnURL
	if sess.State == payments.TestSessionOpen || sess.State == payments.TestSessionRequiresAction {
		target = "/pay/test/" + sess.Ref
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (h *Handler) renderSession(w http.ResponseWriter, r *http.Request, status int, sess payments.TestSession, cardError string) {
	// The page belongs to one payment and may show a card error: no cache may keep it.
	w.Header().Set("Cache-Control", "no-store")
	summary := summaryView{
		Amount:      sess.Amount.String(),
		Reference:   sess.Reference,
		Description: sess.Description,
	}
	switch sess.State {
	case payments.TestSessionOpen:
		v := cardPageView{Ref: sess.Ref, Summary: summary, CancelURL: sess.CancelURL, CardError: cardError}
		for _, c := range payments.TestCards {
			v.Cards = append(v.Cards, testCardView{Number: groupDigits(c.Number), Label: c.Label})
		}
		h.render.Page(w, r, status, cardPage(v))
	case payments.TestSessionRequiresAction:
		h.render.Page(w, r, status, confirmPage(confirmPageView{Ref: sess.Ref, Summary: summary}))
	default:
		h.render.Page(w, r, status, finishedPage(newFinishedView(sess, summary)))
	}
}

// groupDigits writes a card number the way it is printed on cards: 4242 4242 4242 4242.
func groupDigits(n string) string {
	var b strings.Builder
	for i, c := range n {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// summaryView is what the shopper is paying for, shown on every step.
type summaryView struct {
	Amount      string
	Reference   string
	Description string
}

type cardPageView struct {
	Ref       string
	Summary   summaryView
	CancelURL string
	// CardError is the card number field's message after a failed submit. The number
	// typed is never put back into the form.
	CardError string
	Cards     []testCardView
}

type testCardView struct {
	Number string
	Label  string
}

type confirmPageView struct {
	Ref     string
	Summary summaryView
}

type finishedPageView struct {
	Summary   summaryView
	State     string
	Title     string
	Message   string
	ReturnURL string
	// Success picks the message's colours; the words carry the meaning too.
	Success bool
}

func newFinishedView(sess payments.TestSession, summary summaryView) finishedPageView {
	v := finishedPageView{Summary: summary, State: string(sess.State), ReturnURL: sess.ReturnURL}
	switch sess.State {
	case payments.TestSessionPaid, payments.TestSessionAuthorized:
		v.Title, v.Message, v.Success = "Payment accepted", "The test payment went through.", true
	case payments.TestSessionCanceled:
		v.Title, v.Message = "Payment cancelled", "The shop cancelled this payment. Nothing was charged."
	default:
		v.Title = "Payment failed"
		switch sess.FailureCode {
		case payments.TestFailureInsufficientFunds:
			v.Message = "The card has insufficient funds. Nothing was charged."
		case payments.TestFailureAuthentication:
			v.Message = "The payment was not confirmed. Nothing was charged."
		default:
			v.Message = "The card was declined. Nothing was charged."
		}
	}
	return v
}
