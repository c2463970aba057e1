package session

import (
	"context"
	"crypto/rand"
	"encoding/base64"

	"github.com/alexedwards/scs/v2"
)

// Secret returns a random secret kept in the session under key, made on first use: a
// value only this session knows, to sign what a page hands out and must get back from
// the same session (the checkout form's key). It survives sign-in, which renews the
// session's token but keeps its data.
func Secret(ctx context.Context, sm *scs.SessionManager, key string) []byte {
	if s := sm.GetString(ctx, key); s != "" {
		return []byte(s)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	s := base64.RawURLEncoding.EncodeToString(b)
	sm.Put(ctx, key, s)
	return []byte(s)
}
