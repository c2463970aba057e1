// Package cart owns shopping carts: one per guest session or one per customer account,
// each a list of catalog variants with quantities (Postgres schema "cart").
//
// A cart stores what and how many, never a price or a name: every view reads them live
// from the catalog and checks them against inventory, so a line whose variant was
// archived is flagged rather than silently dropped, and a quantity above what is in
// stock is lowered and the shopper told. A guest cart is found by a random token kept in
// the server-side session only (never in a URL or form); a customer's cart by the
// account. On sign-in the guest cart merges into the customer's.
//
// cart imports the root packages of catalog and inventory only, through the small
// interfaces in service.go; cmd/shop passes the concrete services. Orders (checkout) may
// import this package. Its pages live in cartweb.
package cart
