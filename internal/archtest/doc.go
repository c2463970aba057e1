// Package archtest holds tests that keep the monolith modular: the import graph between
// modules of DESIGN.md §2 is checked from `go list` output on every test run.
package archtest
