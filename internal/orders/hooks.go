package orders

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"
)

// Other modules hear about an order's transitions through these hooks (DESIGN.md §2.5),
// called inside the transaction of the transition with the order as it leaves it: a
// subscriber that queues work with InsertTx queues it exactly when the transition
// commits, and an error from it rolls the transition back.

// Hook is called with the order after a transition.
type Hook func(ctx context.Context, tx pgx.Tx, o Order) error

// ShippedHook is called after a shipment, with the shipment.
type ShippedHook func(ctx context.Context, tx pgx.Tx, o Order, f Fulfillment) error

type hooks struct {
	mu        sync.RWMutex
	placed    []Hook
	paid      []Hook
	shipped   []ShippedHook
	cancelled []Hook
}

// OnPlaced subscribes h to orders being placed.
func (s *Service) OnPlaced(h Hook) { s.hooks.add(&s.hooks.placed, h) }

// OnPaid subscribes h to orders becoming paid (once per order; a free order is paid when
// placed).
func (s *Service) OnPaid(h Hook) { s.hooks.add(&s.hooks.paid, h) }

// OnShipped subscribes h to every shipment of an order.
func (s *Service) OnShipped(h ShippedHook) {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	s.hooks.shipped = append(s.hooks.shipped, h)
}

// OnCancelled subscribes h to orders cancelled by staff or expired unpaid.
func (s *Service) OnCancelled(h Hook) { s.hooks.add(&s.hooks.cancelled, h) }

func (h *hooks) add(list *[]Hook, fn Hook) {
	h.mu.Lock()
	defer h.mu.Unlock()
	*list = append(*list, fn)
}

func (h *hooks) run(ctx context.Context, tx pgx.Tx, list *[]Hook, o Order) error {
	h.mu.RLock()
	fns := *list
	h.mu.RUnlock()
	for _, fn := range fns {
		if err := fn(ctx, tx, o); err != nil {
			return err
		}
	}
	return nil
}

func (h *hooks) runShipped(ctx context.Context, tx pgx.Tx, o Order, f Fulfillment) error {
	h.mu.RLock()
	fns := h.shipped
	h.mu.RUnlock()
	for _, fn := range fns {
		if err := fn(ctx, tx, o, f); err != nil {
			return err
		}
	}
	return nil
}
