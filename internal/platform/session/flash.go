package session

import (
	"context"
	"encoding/json"

	"github.com/alexedwards/scs/v2"
)

// Flash is a one-time message shown on the next page after a redirect (POST-redirect-GET:
// "Address saved.").
type Flash struct {
	Kind string `json:"kind"` // success, info or error
	Text string `json:"text"`
}

const flashKey = "flash"

// AddFlash queues a message for the next page this session renders.
func AddFlash(ctx context.Context, sm *scs.SessionManager, kind, text string) {
	flashes := peek(ctx, sm)
	flashes = append(flashes, Flash{Kind: kind, Text: text})
	if raw, err := json.Marshal(flashes); err == nil {
		sm.Put(ctx, flashKey, string(raw))
	}
}

// PopFlashes returns and forgets the queued messages.
func PopFlashes(ctx context.Context, sm *scs.SessionManager) []Flash {
	flashes := peek(ctx, sm)
	if len(flashes) > 0 {
		sm.Remove(ctx, flashKey)
	}
	return flashes
}

func peek(ctx context.Context, sm *scs.SessionManager) []Flash {
	raw := sm.GetString(ctx, flashKey)
	if raw == "" {
		return nil
	}
	var flashes []Flash
	_ = json.Unmarshal([]byte(raw), &flashes)
	return flashes
}
