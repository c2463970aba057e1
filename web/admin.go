package web

import (
	"context"
	"time"
)

// AdminNavLink is one section of the back office's sidebar.
type AdminNavLink struct {
	Label  string
	URL    string
	Active bool
}

// AdminChrome is the per-request part of the back-office layout. A middleware wired in
// cmd/shop fills it from the users module (who is signed in, which sections their role
// opens), so that web never imports a module and each module's admin pages only carry
// what is specific to them.
type AdminChrome struct {
	Nav       []AdminNavLink
	UserName  string
	RoleLabel string
	// Flashes are the one-time messages left by the previous request (POST-redirect-GET).
	Flashes []FlashMessage
}

type adminChromeKey struct{}

// WithAdminChrome returns ctx carrying c.
func WithAdminChrome(ctx context.Context, c AdminChrome) context.Context {
	return context.WithValue(ctx, adminChromeKey{}, c)
}

// AdminChromeFrom returns the AdminChrome in ctx, or the zero AdminChrome (no sections,
// nobody named) when no middleware set one.
func AdminChromeFrom(ctx context.Context) AdminChrome {
	c, _ := ctx.Value(adminChromeKey{}).(AdminChrome)
	return c
}

// BadgeTone picks a badge's colours; the words on the badge always carry the meaning too.
type BadgeTone string

const (
	BadgeNeutral BadgeTone = "neutral"
	BadgeSuccess BadgeTone = "success"
	BadgeInfo    BadgeTone = "info"
	BadgeWarning BadgeTone = "warning"
	BadgeError   BadgeTone = "error"
)

func badgeTone(t BadgeTone) BadgeTone {
	switch t {
	case BadgeSuccess, BadgeInfo, BadgeWarning, BadgeError:
		return t
	default:
		return BadgeNeutral
	}
}

// adminTimeLayout shows back-office times in the store's time zone with the zone spelled
// out, so staff elsewhere know which clock they are reading.
const adminTimeLayout = "2006-01-02 15:04:05 MST"

// FormatAdminTime formats t in loc for the back office, e.g. "2026-11-27 03:57:49 CET".
func FormatAdminTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(adminTimeLayout)
}
