// Package web holds what every page of the shop shares: the site layout, the error page,
// components the modules reuse (product cards, prices, pagination, form fields, flash
// messages, breadcrumbs), the embedded static assets and the Renderer that turns a templ
// component or an error into an HTTP response.
//
// web imports no shop module; modules import web. Process-wide facts (store name, asset
// URLs) and per-request chrome (categories, cart count, account) travel in the request
// context so that a module's view models only carry what is specific to its page.
package web
