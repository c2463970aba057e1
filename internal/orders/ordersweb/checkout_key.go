package ordersweb

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// A checkout key names one submission of the checkout form: placing an order with a key
// already used answers with that key's order (a double click, a reload, a retry). So
// the key must only work for the shopper whose checkout page made it: another shopper's
// key, copied or guessed, must never lead to that order's page, name and address. Each
// key is a random part and its HMAC under a secret kept in the session that asked for
// the page, so any other session finds it foreign.
const (
	checkoutKeyRandom = 16
	checkoutKeyMAC    = 16
)

var checkoutKeyLen = base64.RawURLEncoding.EncodedLen(checkoutKeyRandom) + base64.RawURLEncoding.EncodedLen(checkoutKeyMAC)

// keyState is what a submitted checkout key turns out to be.
type keyState int

const (
	keyOK        keyState = iota // made by this session's checkout page
	keyMalformed                 // not a key at all (or made before keys were signed)
	keyForeign                   // a key, but another session's
)

// newCheckoutKey is a fresh idempotency key for a checkout form, signed with secret.
func newCheckoutKey(secret []byte) string {
	random := make([]byte, checkoutKeyRandom)
	_, _ = rand.Read(random) // crypto/rand.Read never fails
	r := base64.RawURLEncoding.EncodeToString(random)
	return r + base64.RawURLEncoding.EncodeToString(checkoutKeyMACOf(secret, r))
}

// checkoutKeyOf tells whether key was made by newCheckoutKey with secret.
func checkoutKeyOf(secret []byte, key string) keyState {
	if len(key) != checkoutKeyLen || !validOrderTokenChars(key) {
		return keyMalformed
	}
	split := base64.RawURLEncoding.EncodedLen(checkoutKeyRandom)
	mac, err := base64.RawURLEncoding.DecodeString(key[split:])
	if err != nil {
		return keyMalformed
	}
	if len(secret) == 0 || !hmac.Equal(mac, checkoutKeyMACOf(secret, key[:split])) {
		return keyForeign
	}
	return keyOK
}

func checkoutKeyMACOf(secret []byte, random string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("checkout-key:" + random))
	return m.Sum(nil)[:checkoutKeyMAC]
}
