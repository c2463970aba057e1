package main

import (
	"fmt"
	"io"
	"text/tabwriter"
)

func printHelp(w io.Writer) {
	// WriteString, not Fprint: the text shows a printf command, whose %s vet would take
	// for a directive.
	_, _ = io.WriteString(w, `shop — Monoshop, an online shop in one binary and one PostgreSQL database.

Usage: shop COMMAND [ARGS]

Commands:
  serve              run the storefront, back office and job workers (needs DATABASE_URL)
  worker             run only the job workers
  dev                like serve, on the embedded database when DATABASE_URL is unset;
                     migrates, loads demo data into an empty catalog, and creates a
                     first owner (owner@monoshop.test, random password printed once)
                     when the shop has none
  migrate [up]       apply pending migrations (safe with many replicas starting at once)
  migrate status     show whether migrations are pending
  seed [--products N] [--seed S]
                     fill an empty catalog with deterministic demo data
  dev-db run -- CMD  run CMD with a throwaway PostgreSQL, its URL in TEST_DATABASE_URL
  users create-staff --email E --role ROLE [--name N]
                     create a back-office account; ROLE is owner, admin,
                     catalog_manager, order_manager or support. The password is the
                     first line of standard input, never an argument:
                       printf '%s\n' "$PASSWORD" | shop users create-staff --email E --role owner
  version            print the version
  help               this text

Environment:
`)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, s := range settings() {
		def := s.Default
		if def == "" {
			def = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", s.Name, def, s.Meaning)
	}
	_ = tw.Flush()
	fmt.Fprint(w, `
Exit status: 0 success, 1 failure while running, 2 bad usage or configuration.
`)
}
