// Package content owns the shop's text pages: About, Shipping & returns, Privacy, Terms
// and whatever else staff write (Postgres schema "content"). A page has a title, a web
// address (/pages/{slug}), a body in a safe subset of Markdown (markdown.go) and is
// either published or a draft.
//
// It imports no other module. cmd/shop guards its back-office pages with the users
// module's content.edit permission and puts the published pages in the storefront footer.
// HTTP handlers and templates live in contentweb.
package content
