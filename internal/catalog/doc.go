// Package catalog owns what the shop sells: products, their variants and prices, and the
// categories they are filed under (Postgres schema "catalog").
//
// Any module may import this package for its types and *Service; nobody imports its
// subpackages or reads its tables. The storefront and back-office pages of the catalog
// live in catalogweb, test fixtures in catalogtest.
package catalog
