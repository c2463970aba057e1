package users

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/monoshop/monoshop/internal/platform/audit"
	"github.com/monoshop/monoshop/internal/platform/db"

	"github.com/monoshop/monoshop/internal/users/internal/dbsqlc"
)

// Actor is who performs a staff action; AuditEntry what is recorded about it. Both are
// the platform's audit types, so every module records through audit.Recorder.
type (
	Actor      = audit.Actor
	AuditEntry = audit.Entry
)

// RecordTx writes an audit event inside the transaction of the change it describes, so
// the log never claims a change that rolled back nor misses one that committed. It makes
// the service an audit.Recorder.
func (s *Service) RecordTx(ctx context.Context, tx pgx.Tx, e audit.Entry) error {
	changes := e.Changes
	if changes == nil {
		changes = map[string]Change{}
	}
	raw, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("users: audit changes: %w", err)
	}
	var actor *int64
	if e.Actor.ID != 0 {
		id := e.Actor.ID
		actor = &id
	}
	err = s.q.AuditInsert(ctx, tx, dbsqlc.AuditInsertParams{
		ActorID: actor, ActorEmail: e.Actor.Email, Action: e.Action, ObjectType: e.ObjectType,
		ObjectID: e.ObjectID, Changes: raw, Ip: e.Actor.IP,
	})
	return interpretError(err, "audit event")
}

// Diff returns the fields whose values differ between before and after.
func Diff(before, after map[string]any) map[string]Change { return audit.Diff(before, after) }

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Actor      string // email substring
	ObjectType string
	ObjectID   string
	Action     string // prefix, e.g. "staff."
	Page       int
	PerPage    int
}

// ListAudit returns audit events, newest first.
func (s *Service) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEvent, error) {
	per := f.PerPage
	if per <= 0 || per > 200 {
		per = 50
	}
	page := max(f.Page, 1)
	rows, err := s.q.AuditList(ctx, s.pool, dbsqlc.AuditListParams{
		Actor: f.Actor, ObjectType: f.ObjectType, Action: f.Action, ObjectID: f.ObjectID,
		MaxRows: int32(per), Skip: db.Offset(page, per),
	})
	if err != nil {
		return nil, interpretError(err, "audit events")
	}
	out := make([]AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = auditFromRow(r)
	}
	return out, nil
}

func auditFromRow(r dbsqlc.UsersAuditEvent) AuditEvent {
	e := AuditEvent{ID: r.ID, ActorEmail: r.ActorEmail, Action: r.Action, ObjectType: r.ObjectType,
		ObjectID: r.ObjectID, IP: r.Ip, CreatedAt: r.CreatedAt}
	if r.ActorID != nil {
		id := AccountID(*r.ActorID)
		e.ActorID = &id
	}
	_ = json.Unmarshal(r.Changes, &e.Changes)
	return e
}

func idString(id AccountID) string { return strconv.FormatInt(int64(id), 10) }

// RedactAuditFieldsTx replaces, in the caller's transaction, the values of the named
// fields in the audit entries of the given objects with placeholder: what staff typed
// about a deleted customer's order (a note, a reason) may name them. The entries stay,
// with who acted, when and on what. It returns how many entries changed.
func (s *Service) RedactAuditFieldsTx(ctx context.Context, tx pgx.Tx, objectType string, objectIDs, fields []string, placeholder string) (int, error) {
	if len(objectIDs) == 0 || len(fields) == 0 {
		return 0, nil
	}
	n, err := s.q.AuditRedactFields(ctx, tx, dbsqlc.AuditRedactFieldsParams{
		Fields: fields, Placeholder: placeholder, ObjectType: objectType, ObjectIds: objectIDs,
	})
	if err != nil {
		return 0, fmt.Errorf("users: redact audit entries of %s: %w", objectType, err)
	}
	return int(n), nil
}
