package orders_test

import (
	"fmt"
	"sync/atomic"
	"testing"
)

// BenchmarkPlaceOrderHotItem places orders that all buy the same variant, 16 at a time:
// a sale on one item, where every checkout queues on its stock level's lock. How long
// each placement holds that lock decides how many orders a second the item can take.
func BenchmarkPlaceOrderHotItem(b *testing.B) {
	e := setup(b, 1_000_000)
	var n atomic.Int64
	b.SetParallelism(8) // 8 × GOMAXPROCS goroutines (16 on two cores)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.svc.PlaceOrder(e.ctx, input(fmt.Sprintf("hot-%d", n.Add(1)))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "orders/s")
}
