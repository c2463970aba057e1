// Package migrations embeds the SQL migrations so the binary carries its own schema.
// Files are named NNNNN_<module>_<change>.sql and run by goose, each in a transaction.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
