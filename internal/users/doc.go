// Package users owns people: shopper and staff accounts, passwords, address books, staff
// roles and their permissions, password resets, login rate limits and lockouts, and the
// audit log of staff actions (Postgres schema "users").
//
// Other modules import this package for its types and *Service (orders reads addresses,
// every back-office module records audit events through a small interface of its own).
// The account pages live in usersweb, the back-office pages of staff and customers in
// usersweb too.
package users
