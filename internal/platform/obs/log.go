// Package obs sets up logging (and later metrics and tracing) the same way for every
// subcommand.
package obs

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// ParseLevel accepts debug, info, warn and error.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
		return 0, fmt.Errorf("unknown log level %q (use debug, info, warn or error)", s)
	}
	return l, nil
}

// NewLogger returns a JSON logger (for log collectors in production) or a text logger (for
// people reading a terminal in development).
func NewLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Discard is a logger for tests and tools that must stay quiet.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
