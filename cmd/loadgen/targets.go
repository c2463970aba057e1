package main

import "fmt"

// metric is a figure of a scenario result that a target constrains.
type metric int

const (
	pctOfCeiling  metric = iota // req/s as % of the ceiling scenario's
	p99Millis                   // median p99 latency in ms
	errorCount                  // errors over all runs
	ordersPerSec                // median completed orders per second (flows)
	stepP99Millis               // median p99 latency in ms of every step of a flow, each checked
	// Edit scenarios:
	pctOfBase     // req/s as % of the plain scenario's (the same pages without edits)
	editRatePct   // edits made per second as % of those asked (median of the runs)
	editErrors    // edits that failed, over all runs
	visibleP99    // p99 ms from a title saved to its product page showing it; any not shown fails
	rssMaxMiB     // the most server RSS sampled during the runs, MiB
	rssGrowthPct  // server RSS growth over a soak's second half, %
	firstProductS // seconds from `shop serve` starting to its first product page (bench/run-inner)
)

// startupScenario names the targets on the server's start, which bench/run-inner measures
// and passes on; it is not a load scenario.
const startupScenario = "startup"

// comparison is how a measured value must relate to a target's limit.
type comparison int

const (
	atLeast comparison = iota
	below
	atMost
)

// target is one speed or correctness goal. An empty scenario applies it to every
// scenario measured.
type target struct {
	scenario string
	metric   metric
	cmp      comparison
	limit    float64
}

// targets are the goals `make bench` checks, in one table so they are easy to review
// and change.
func targets() []target {
	return []target{
		{"product", pctOfCeiling, atLeast, 25},
		{"category", pctOfCeiling, atLeast, 10},
		{"search", pctOfCeiling, atLeast, 5},
		{"product", p99Millis, below, 50},
		{"category", p99Millis, below, 50},
		{"search", p99Millis, below, 100},
		// The cart's pages are per shopper (a session each) and add-to-cart writes.
		{"view-cart", pctOfCeiling, atLeast, 15},
		{"add-to-cart", pctOfCeiling, atLeast, 5},
		{"view-cart", p99Millis, below, 50},
		{"add-to-cart", p99Millis, below, 50},
		// Checkout is stated for 32 shoppers at once (its own concurrency, not -c), each
		// order six requests: add, checkout form, place, pay, return, confirmation.
		{"checkout", ordersPerSec, atLeast, 100},
		{"checkout", stepP99Millis, below, 100},
		// Product pages while a catalog manager makes 10 edits a second (-edit-rate):
		// nearly as fast as without edits, each edit in the shop within a second, and
		// memory that neither balloons nor grows with the edits (checked on a soak,
		// -edits). The same for category and search pages when those are asked for.
		{"edit", pctOfBase, atLeast, 80},
		{"edit", p99Millis, below, 50},
		{"edit", editRatePct, atLeast, 90},
		{"edit", editErrors, atMost, 0},
		{"edit", visibleP99, below, 1000},
		{"edit", rssMaxMiB, below, 600},
		{"edit", rssGrowthPct, atMost, 10},
		{"edit-category", pctOfBase, atLeast, 80},
		{"edit-category", p99Millis, below, 50},
		{"edit-category", editRatePct, atLeast, 90},
		{"edit-category", editErrors, atMost, 0},
		{"edit-search", pctOfBase, atLeast, 80},
		{"edit-search", p99Millis, below, 100},
		{"edit-search", editRatePct, atLeast, 90},
		{"edit-search", editErrors, atMost, 0},
		// A new replica serves within seconds (rolling restarts, autoscaling).
		{startupScenario, firstProductS, below, 5},
		{"", errorCount, atMost, 0},
	}
}

// Verdicts of a target. SKIP is a target whose scenario (or the ceiling it is relative
// to) was not measured in this invocation; it never fails a run.
const (
	pass = "PASS"
	fail = "FAIL"
	skip = "SKIP"
)

// targetResult is a target applied to one scenario.
type targetResult struct {
	Status   string  `json:"status"`
	Scenario string  `json:"scenario"`
	Goal     string  `json:"goal"`
	Value    float64 `json:"value"`
	Measured string  `json:"measured"`
}

// evaluate applies ts to results and to the server's start (nil when not measured), in
// the order of ts.
func evaluate(ts []target, results []scenarioResult, st *startup) []targetResult {
	byName := map[string]scenarioResult{}
	var measured []string
	for _, r := range results {
		byName[r.Name] = r
		measured = append(measured, r.Name)
	}
	var out []targetResult
	for _, t := range ts {
		if t.metric == firstProductS {
			tr := targetResult{Scenario: t.scenario, Goal: t.goal()}
			if st == nil || st.FirstProduct <= 0 {
				tr.Status, tr.Measured = skip, "not measured"
			} else {
				tr.Value = st.FirstProduct.Seconds()
				tr.Measured, tr.Status = t.format(tr.Value), fail
				if t.met(tr.Value) {
					tr.Status = pass
				}
			}
			out = append(out, tr)
			continue
		}
		names := []string{t.scenario}
		if t.scenario == "" {
			names = measured
		}
		for _, name := range names {
			tr := targetResult{Scenario: name, Goal: t.goal()}
			r, ok := byName[name]
			switch {
			case !ok:
				tr.Status, tr.Measured = skip, "not measured"
			case t.metric == pctOfCeiling && r.PctOfCeiling == nil:
				tr.Status, tr.Measured = skip, "ceiling not measured"
			case t.metric == stepP99Millis && len(r.Steps) == 0:
				tr.Status, tr.Measured = fail, "no steps measured"
			case t.metric == stepP99Millis:
				out = append(out, t.perStep(name, r.Steps)...)
				continue
			case t.metric >= pctOfBase && r.Edits == nil:
				tr.Status, tr.Measured = skip, "no edits measured"
			case t.metric == pctOfBase && r.Edits.PctOfBase == nil:
				tr.Status, tr.Measured = skip, r.Edits.Base+" not measured"
			case t.metric == rssMaxMiB && r.Edits.RSSMax <= 0:
				tr.Status, tr.Measured = skip, "server memory not measured (no -pid)"
			case t.metric == rssGrowthPct && r.Edits.GrowthPct == nil:
				tr.Status, tr.Measured = skip, "no soak (-edits)"
			case t.metric == visibleP99 && r.Edits.NotVisible > 0:
				tr.Status, tr.Measured = fail, fmt.Sprintf("%d titles not shown within %s", r.Edits.NotVisible, r.Edits.VisibleTimeout)
			case t.metric == visibleP99 && r.Edits.Checked == 0:
				tr.Status, tr.Measured = fail, "no title checked"
			default:
				tr.Value = t.value(r)
				tr.Measured = t.format(tr.Value)
				tr.Status = fail
				if t.met(tr.Value) {
					tr.Status = pass
				}
			}
			out = append(out, tr)
		}
	}
	return out
}

// perStep applies a step target to every step of a flow. A step no answer passed has no
// latency to judge, and fails: a step that never succeeds is not fast.
func (t target) perStep(scenario string, steps []stepResult) []targetResult {
	var out []targetResult
	for _, st := range steps {
		tr := targetResult{Scenario: scenario, Goal: t.stepGoal(st.Step)}
		if st.Requests == 0 {
			tr.Status, tr.Measured = fail, "no answers"
		} else {
			tr.Value = st.P99Ms
			tr.Measured = t.format(tr.Value)
			tr.Status = fail
			if t.met(tr.Value) {
				tr.Status = pass
			}
		}
		out = append(out, tr)
	}
	return out
}

func (t target) value(r scenarioResult) float64 {
	switch t.metric {
	case pctOfCeiling:
		return *r.PctOfCeiling
	case p99Millis:
		return r.P99Ms
	case ordersPerSec:
		return r.outcomePerSec(outcomeOrder)
	case pctOfBase:
		return *r.Edits.PctOfBase
	case editRatePct:
		if r.Edits.Asked <= 0 {
			return 0
		}
		return r.Edits.PerSec / r.Edits.Asked * 100
	case editErrors:
		return float64(r.Edits.Errors)
	case visibleP99:
		return r.Edits.VisibleP99Ms
	case rssMaxMiB:
		return float64(r.Edits.RSSMax) / (1 << 20)
	case rssGrowthPct:
		return *r.Edits.GrowthPct
	default:
		return float64(r.Errors)
	}
}

func (t target) met(v float64) bool {
	switch t.cmp {
	case below:
		return v < t.limit
	case atMost:
		return v <= t.limit
	default:
		return v >= t.limit
	}
}

func (t target) goal() string {
	op := map[comparison]string{atLeast: ">=", below: "<", atMost: "<="}[t.cmp]
	switch t.metric {
	case pctOfCeiling:
		return fmt.Sprintf("req/s %s %g%% of ceiling", op, t.limit)
	case p99Millis:
		return fmt.Sprintf("p99 %s %gms", op, t.limit)
	case ordersPerSec:
		return fmt.Sprintf("completed orders/s %s %g", op, t.limit)
	case stepP99Millis:
		return t.stepGoal("")
	case pctOfBase:
		return fmt.Sprintf("req/s %s %g%% of the same pages without edits", op, t.limit)
	case editRatePct:
		return fmt.Sprintf("edits/s %s %g%% of those asked", op, t.limit)
	case editErrors:
		if t.cmp == atMost && t.limit == 0 {
			return "no edit errors"
		}
		return fmt.Sprintf("edit errors %s %g", op, t.limit)
	case visibleP99:
		return fmt.Sprintf("edited title on its page, p99 %s %gms", op, t.limit)
	case rssMaxMiB:
		return fmt.Sprintf("server RSS during edits %s %g MiB", op, t.limit)
	case rssGrowthPct:
		return fmt.Sprintf("server RSS growth in the soak's second half %s %g%%", op, t.limit)
	case firstProductS:
		return fmt.Sprintf("first product page %s %gs after start", op, t.limit)
	default:
		if t.cmp == atMost && t.limit == 0 {
			return "no errors"
		}
		return fmt.Sprintf("errors %s %g", op, t.limit)
	}
}

// stepGoal words a step target for one step, or for every step when step is "".
func (t target) stepGoal(step string) string {
	op := map[comparison]string{atLeast: ">=", below: "<", atMost: "<="}[t.cmp]
	if step == "" {
		return fmt.Sprintf("p99 of every step %s %gms", op, t.limit)
	}
	return fmt.Sprintf("p99 of step %s %s %gms", step, op, t.limit)
}

func (t target) format(v float64) string {
	switch t.metric {
	case pctOfCeiling:
		return fmt.Sprintf("%.1f%%", v)
	case p99Millis, stepP99Millis:
		return fmt.Sprintf("%.1fms", v)
	case ordersPerSec:
		return fmt.Sprintf("%.1f orders/s", v)
	case pctOfBase, editRatePct:
		return fmt.Sprintf("%.1f%%", v)
	case editErrors:
		return fmt.Sprintf("%.0f edit errors", v)
	case visibleP99:
		return fmt.Sprintf("%.0fms", v)
	case rssMaxMiB:
		return fmt.Sprintf("%.1f MiB", v)
	case rssGrowthPct:
		return fmt.Sprintf("%+.1f%%", v)
	case firstProductS:
		return fmt.Sprintf("%.1fs", v)
	default:
		return fmt.Sprintf("%.0f errors", v)
	}
}
