package usersweb

import (
	"net/http"
	"time"

	"github.com/monoshop/monoshop/internal/users"
)

// deviceCookie names the browser across sign-outs: an account remembers the browsers it
// signed in from, and a lock (ten wrong passwords from anywhere) does not keep those out.
const deviceCookie = "monoshop_device"

// deviceCookieAge is how long a browser stays known without signing in again.
const deviceCookieAge = 365 * 24 * time.Hour

// deviceToken is the browser's device token, "" when it has none (or a malformed one).
func deviceToken(r *http.Request) string {
	c, err := r.Cookie(deviceCookie)
	if err != nil || c.Value == "" || len(c.Value) > users.MaxDeviceToken || !validTokenChars(c.Value) {
		return ""
	}
	return c.Value
}

// rememberDevice marks the browser as one acc signed in from, giving it a device cookie
// first if it has none. A failure only costs the browser its place on the list, so it
// is logged, not shown.
func (h *Handler) rememberDevice(w http.ResponseWriter, r *http.Request, acc users.Account) {
	token := deviceToken(r)
	if token == "" {
		token = users.NewDeviceToken()
	}
	http.SetCookie(w, &http.Cookie{
		Name: deviceCookie, Value: token, Path: "/", MaxAge: int(deviceCookieAge.Seconds()),
		HttpOnly: true, Secure: h.auth.sessions.Cookie.Secure, SameSite: http.SameSiteLaxMode,
	})
	if err := h.users.RememberDevice(r.Context(), acc.ID, token); err != nil {
		h.log.WarnContext(r.Context(), "users: device not remembered", "err", err)
	}
}

// validTokenChars reports whether s holds only base64url characters.
func validTokenChars(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
