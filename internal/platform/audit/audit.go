// Package audit defines what a staff action record looks like, so every module can write
// one through the same small interface (the users module stores them).
package audit

import (
	"context"
	"reflect"

	"github.com/jackc/pgx/v5"
)

// Actor is who performs a staff action.
type Actor struct {
	ID    int64
	Email string
	IP    string
}

// Change is one field's value before and after a write.
type Change struct {
	Before any `json:"before"`
	After  any `json:"after"`
}

// Entry is one staff write: who, what object, which fields changed.
type Entry struct {
	Actor      Actor
	Action     string // "product.update", "staff.role_change", ...
	ObjectType string
	ObjectID   string
	Changes    map[string]Change
}

// Recorder writes an entry inside the transaction of the change it describes, so the log
// never claims a change that rolled back nor misses one that committed.
type Recorder interface {
	RecordTx(ctx context.Context, tx pgx.Tx, e Entry) error
}

// Diff returns the fields whose values differ between before and after.
func Diff(before, after map[string]any) map[string]Change {
	out := map[string]Change{}
	for k, a := range after {
		if b, ok := before[k]; !ok || !reflect.DeepEqual(a, b) {
			out[k] = Change{Before: before[k], After: a}
		}
	}
	for k, b := range before {
		if _, ok := after[k]; !ok {
			out[k] = Change{Before: b}
		}
	}
	return out
}
