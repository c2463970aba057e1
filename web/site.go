package web

import (
	"context"
	"time"
)

// Site is what stays the same for every request the process serves.
type Site struct {
	Name   string
	Assets *Assets
	Env    string // "dev" or "prod"
	// Location is the store's time zone (SHOP_TIME_ZONE): dates are shown in it and
	// typed dates read in it. nil is UTC.
	Location *time.Location
	// Logo, when set, is shown in the header instead of the name as text.
	Logo *Logo
	// ContactEmail is where shoppers can write to the store; the footer shows it.
	ContactEmail string
}

// Logo is the store's logo: where it is served and its size in pixels, so the header
// keeps its place for it before it loads.
type Logo struct {
	URL           string
	Width, Height int
}

// Brand is the part of the Site staff change in the back office (Renderer.UseBrand).
type Brand struct {
	Name         string
	Logo         *Logo
	ContactEmail string
}

// Zone is the store's time zone, UTC unless set.
func (s Site) Zone() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// NavLink is one link in a navigation list.
type NavLink struct {
	Label  string
	URL    string
	Active bool
}

// AccountBadge identifies the signed-in person in the header.
type AccountBadge struct {
	Name    string
	IsStaff bool
}

// Chrome is the per-request part of the layout. A middleware wired in cmd/shop fills it
// from the modules that own the data, so that web never has to import them.
type Chrome struct {
	Categories []NavLink
	// Pages are the shop's published text pages (About, Shipping & returns, Privacy ...),
	// listed in the footer.
	Pages []NavLink
	// CartCount is the number of items in the shopper's cart. CountCart, when set, is
	// asked instead, and only by a page that renders the header: a form post answered by
	// a redirect then costs no count.
	CartCount int
	CountCart func() int
	Query     string        // current search text, echoed in the header search box
	Account   *AccountBadge // nil when signed out
	// Flashes are the one-time messages left by the previous request (POST-redirect-GET),
	// shown at the top of the main landmark.
	Flashes []FlashMessage
}

// ItemsInCart is the header's cart count.
func (c Chrome) ItemsInCart() int {
	if c.CountCart != nil {
		return c.CountCart()
	}
	return c.CartCount
}

type siteKey struct{}

type chromeKey struct{}

// WithSite returns ctx carrying site. Renderer.Page does this for every page; call it
// directly only when rendering a component outside a Renderer (tests, emails).
func WithSite(ctx context.Context, site Site) context.Context {
	return context.WithValue(ctx, siteKey{}, site)
}

// SiteFrom returns the Site in ctx, or a Site named "Monoshop" without assets, so that a
// component rendered in isolation still produces a usable page.
func SiteFrom(ctx context.Context) Site {
	if s, ok := ctx.Value(siteKey{}).(Site); ok {
		return s
	}
	return Site{Name: defaultSiteName}
}

// WithChrome returns ctx carrying c.
func WithChrome(ctx context.Context, c Chrome) context.Context {
	return context.WithValue(ctx, chromeKey{}, c)
}

// ChromeFrom returns the Chrome in ctx, or the zero Chrome (signed out, empty cart, no
// categories) when no middleware set one, e.g. on a 404 for an unrouted path.
func ChromeFrom(ctx context.Context) Chrome {
	c, _ := ctx.Value(chromeKey{}).(Chrome)
	return c
}

const defaultSiteName = "Monoshop"

func siteName(s Site) string {
	if s.Name == "" {
		return defaultSiteName
	}
	return s.Name
}
