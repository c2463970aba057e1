package main

import "fmt"

// metric is a figure of a scenario result that a target constrains.
type metric int

const (
	pctOfCeiling metric = iota // req/s as % of the ceiling scenario's
	p99Millis                  // median p99 latency in ms
	errorCount                 // errors over all runs
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

func (t target) value(r scenarioResult) float64 {
	switch t.metric {
	case pctOfCeiling:
		return *r.PctOfCeiling
	case p99Millis:
		return r.P99Ms
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
	default:
		if t.cmp == atMost && t.limit == 0 {
			return "no errors"
		}
		return fmt.Sprintf("errors %s %g", op, t.limit)
	}
}

func (t target) format(v float64) string {
	switch t.metric {
	case pctOfCeiling:
		return fmt.Sprintf("%.1f%%", v)
	case p99Millis:
		return fmt.Sprintf("%.1fms", v)
	default:
		return fmt.Sprintf("%.0f errors", v)
	}
}
