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
)

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

// evaluate applies ts to results, in the order of ts.
func evaluate(ts []target, results []scenarioResult) []targetResult {
	byName := map[string]scenarioResult{}
	var measured []string
	for _, r := range results {
		byName[r.Name] = r
		measured = append(measured, r.Name)
	}
	var out []targetResult
	for _, t := range ts {
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
	default:
		return fmt.Sprintf("%.0f errors", v)
	}
}
