package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"
)

// report is everything one invocation measured, written as text and as JSON.
type report struct {
	Date      time.Time        `json:"date"`
	Revision  string           `json:"git_revision,omitempty"`
	Machine   machine          `json:"machine"`
	Params    params           `json:"params"`
	Server    *serverMemory    `json:"server,omitempty"`
	Startup   *startup         `json:"startup,omitempty"`
	Scenarios []scenarioResult `json:"scenarios"`
	Targets   []targetResult   `json:"targets"`
}

// params are the settings of the invocation, in the report so a number can be
// reproduced.
type params struct {
	Base      string   `json:"base"`
	Conns     int      `json:"conns"`
	Duration  string   `json:"duration"`
	Warmup    string   `json:"warmup"`
	Runs      int      `json:"runs"`
	Seed      uint64   `json:"seed"`
	Scenarios []string `json:"scenarios"`
	// AcceptEncoding is what every measured request asked for; "" when none was sent.
	AcceptEncoding string `json:"accept_encoding"`
}

type serverMemory struct {
	PID     int   `json:"pid"`
	PeakRSS int64 `json:"peak_rss_bytes"`
	RSS     int64 `json:"rss_bytes"`
}

// failed reports whether any target failed.
func (r *report) failed() bool {
	return slices.ContainsFunc(r.Targets, func(t targetResult) bool { return t.Status == fail })
}

// writeText prints the report for people.
func (r *report) writeText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Monoshop load test, %s\n\n", r.Date.UTC().Format("2006-01-02 15:04:05 MST"))
	head := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	rev := r.Revision
	if rev == "" {
		rev = "unknown (not a git checkout)"
	}
	fmt.Fprintf(head, "revision\t%s\n", rev)
	m := r.Machine
	fmt.Fprintf(head, "machine\t%d CPUs, %s, %s memory, %s, %s\n", m.CPUs, m.CPUModel, bytesIEC(m.MemTotal), m.OS, m.GoVersion)
	p := r.Params
	var own []string
	for _, s := range r.Scenarios {
		if s.Conns > 0 {
			own = append(own, fmt.Sprintf("%s: %d", s.Name, s.Conns))
		}
	}
	conns := fmt.Sprintf("%d connections", p.Conns)
	if len(own) > 0 {
		conns += " (" + strings.Join(own, ", ") + ")"
	}
	fmt.Fprintf(head, "load\t%s, closed loop, %d run(s) of %s after %s warm-up, seed %d\n",
		conns, p.Runs, p.Duration, p.Warmup, p.Seed)
	fmt.Fprintf(head, "target\t%s\n", p.Base)
	if p.AcceptEncoding != "" {
		fmt.Fprintf(head, "encoding\tasked for %s\n", p.AcceptEncoding)
	} else {
		fmt.Fprintf(head, "encoding\tnone asked for (no Accept-Encoding)\n")
	}
	if s := r.Server; s != nil {
		fmt.Fprintf(head, "server\tpid %d, peak RSS %s (VmHWM), RSS at the end %s\n", s.PID, bytesIEC(s.PeakRSS), bytesIEC(s.RSS))
	} else {
		fmt.Fprintf(head, "server\tmemory not measured (no -pid)\n")
	}
	if st := r.Startup; st != nil {
		fmt.Fprintf(head, "start\t%s\n", st.describe())
	}
	head.Flush()

	rows := [][]string{{"scenario", "req/s", "% ceiling", "p50", "p90", "p99", "max", "KB/answer", "errors", "server CPU", "loadgen CPU", "server peak RSS"}}
	for _, s := range r.Scenarios {
		pct := "-"
		if s.PctOfCeiling != nil {
			pct = fmt.Sprintf("%.1f%%", *s.PctOfCeiling)
		}
		srvCPU, rss := "-", "-"
		if r.Server != nil {
			srvCPU = fmt.Sprintf("%.2f", s.ServerCPU)
			rss = bytesIEC(s.ServerPeakRSS)
		}
		wire := "-"
		if slices.ContainsFunc(s.Runs, func(r runResult) bool { return r.Requests > 0 }) {
			wire = kb(s.WireBytesPerAnswer)
		}
		rows = append(rows, []string{
			s.Name, fmt.Sprintf("%.0f", s.ReqPerSec), pct, ms(s.P50Ms), ms(s.P90Ms), ms(s.P99Ms), ms(s.MaxMs), wire,
			fmt.Sprint(s.Errors), srvCPU, fmt.Sprintf("%.2f", s.LoadgenCPU), rss,
		})
	}
	b.WriteString("\n")
	writeTable(&b, rows)
	fmt.Fprintf(&b, "\nFigures are medians of the runs; errors are totals. KB/answer is the mean body as it crossed\n"+
		"the network (compressed when the server compressed it; 1 KB = 1024 bytes). CPU is in cores busy\n"+
		"(of %d): the load generator shares the machine with the server, so the ceiling is this machine's,\n"+
		"not the binary's.\n", m.CPUs)

	r.writeFlows(&b)
	r.writeEdits(&b)

	b.WriteString("\nrequests\n")
	list := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, s := range r.Scenarios {
		fmt.Fprintf(list, "  %s\t%s\n", s.Name, s.Discovered)
	}
	list.Flush()

	if len(r.Scenarios) > 0 && len(r.Scenarios[0].Runs) > 1 {
		b.WriteString("\nreq/s per run\n")
		list = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, s := range r.Scenarios {
			runs := make([]string, len(s.Runs))
			for i, run := range s.Runs {
				runs[i] = fmt.Sprintf("%.0f", run.ReqPerSec)
			}
			fmt.Fprintf(list, "  %s\t%s\n", s.Name, strings.Join(runs, "  "))
		}
		list.Flush()
	}

	if slices.ContainsFunc(r.Scenarios, func(s scenarioResult) bool { return s.Errors > 0 }) {
		b.WriteString("\nerrors\n")
		list = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, s := range r.Scenarios {
			for _, k := range slices.Sorted(maps.Keys(s.ErrorKinds)) {
				fmt.Fprintf(list, "  %s\t%d x\t%s\n", s.Name, s.ErrorKinds[k], k)
			}
		}
		list.Flush()
	}

	b.WriteString("\ntargets\n")
	list = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	count := map[string]int{}
	for _, t := range r.Targets {
		count[t.Status]++
		fmt.Fprintf(list, "  %s\t%s\t%s\t%s\n", t.Status, t.Scenario, t.Goal, t.Measured)
	}
	list.Flush()
	fmt.Fprintf(&b, "%d passed, %d failed, %d skipped\n", count[pass], count[fail], count[skip])
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFlows prints the latency of every step of the flow scenarios and what the flows
// achieved; nothing when no flow was measured.
func (r *report) writeFlows(b *strings.Builder) {
	rows := [][]string{{"step", "requests", "p50", "p90", "p99", "max"}}
	for _, s := range r.Scenarios {
		for _, st := range s.Steps {
			rows = append(rows, []string{s.Name + " " + st.Step, fmt.Sprint(st.Requests),
				ms(st.P50Ms), ms(st.P90Ms), ms(st.P99Ms), ms(st.MaxMs)})
		}
	}
	if len(rows) > 1 {
		b.WriteString("\nsteps (one request each; medians of the runs, requests in all)\n")
		writeTable(b, rows)
	}
	var lines []string
	for _, s := range r.Scenarios {
		for _, o := range s.Outcomes {
			perRun := make([]string, len(s.Runs))
			for i, run := range s.Runs {
				perRun[i] = fmt.Sprintf("%.1f", run.perSec(o.Outcome))
			}
			lines = append(lines, fmt.Sprintf("  %s\t%s\t%.1f/s\t%d in all\t/s per run: %s\n",
				s.Name, outcomeLabel(o.Outcome), o.PerSec, o.Total, strings.Join(perRun, "  ")))
		}
	}
	if len(lines) > 0 {
		b.WriteString("\noutcomes (median rate of the runs)\n")
		list := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
		for _, l := range lines {
			io.WriteString(list, l)
		}
		list.Flush()
	}
}

// outcomeLabel names an outcome for people.
func outcomeLabel(o string) string {
	switch o {
	case outcomeOrder:
		return "completed orders"
	case outcomeSoldOut:
		return "sold out"
	}
	return o
}

// save writes the report as <dir>/<UTC timestamp>.txt and .json and returns their paths.
func (r *report) save(dir string) (txt, js string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	name := filepath.Join(dir, r.Date.UTC().Format("20060102T150405Z"))
	var b strings.Builder
	if err := r.writeText(&b); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(name+".txt", []byte(b.String()), 0o644); err != nil {
		return "", "", err
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", "", err
	}
	if err := os.WriteFile(name+".json", append(data, '\n'), 0o644); err != nil {
		return "", "", err
	}
	return name + ".txt", name + ".json", nil
}

// writeTable aligns rows in columns: the first (names) to the left, the others (numbers)
// to the right.
func writeTable(b *strings.Builder, rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range rows {
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			switch {
			case i == 0:
				b.WriteString(cell + pad)
			default:
				b.WriteString("  " + pad + cell)
			}
		}
		b.WriteString("\n")
	}
}

// ms formats a latency with precision that suits its size.
func ms(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.2fms", v)
	}
	return fmt.Sprintf("%.1fms", v)
}

// kb formats bytes in KB (1024 bytes), with precision that suits compressed answers of a
// few hundred bytes as well as pages of tens of KB.
func kb(n float64) string {
	v := n / 1024
	if v < 10 {
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

func bytesIEC(n int64) string {
	switch {
	case n <= 0:
		return "-"
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	default:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
}

// writeEdits prints what the edit scenarios' writer did and how the pages compared with
// the same pages without edits; nothing when no edit scenario was measured.
func (r *report) writeEdits(b *strings.Builder) {
	var lines []string
	for _, s := range r.Scenarios {
		e := s.Edits
		if e == nil {
			continue
		}
		pages := fmt.Sprintf("  %s\tpages\t%.0f req/s, p99 %s", s.Name, s.ReqPerSec, ms(s.P99Ms))
		if e.PctOfBase != nil {
			pages += fmt.Sprintf(" = %.1f%% of %s without edits (%.0f req/s, p99 %s)", *e.PctOfBase, e.Base, e.BaseReqPerSec, ms(r.p99Of(e.Base)))
		} else {
			pages += fmt.Sprintf(" (%s without edits not measured in this run)", e.Base)
		}
		lines = append(lines, pages+"\n",
			fmt.Sprintf("  %s\tedits\t%.1f/s of %.3g asked (median of the runs), %d started, %d saved (%d titles, %d prices), %d errors, %d missed; editor page p50 %s, p99 %s; save p50 %s, p99 %s\n",
				s.Name, e.PerSec, e.Asked, e.Started, e.Made, e.Titles, e.Prices, e.Errors, e.Missed,
				ms(e.ReadP50Ms), ms(e.ReadP99Ms), ms(e.SaveP50Ms), ms(e.SaveP99Ms)))
		vis := fmt.Sprintf("  %s\tvisible\t%d titles checked on their product page: shown after p50 %s, p99 %s, max %s",
			s.Name, e.Checked, ms(e.VisibleP50Ms), ms(e.VisibleP99Ms), ms(e.VisibleMaxMs))
		if e.NotVisible > 0 {
			vis += fmt.Sprintf("; %d NOT shown within %s", e.NotVisible, e.VisibleTimeout)
		}
		lines = append(lines, vis+"\n")
		if e.RSSEnd > 0 {
			mem := fmt.Sprintf("  %s\tserver RSS\tafter warm-up %s, middle %s, end %s, most sampled %s",
				s.Name, bytesIEC(e.RSSStart), bytesIEC(e.RSSMiddle), bytesIEC(e.RSSEnd), bytesIEC(e.RSSMax))
			if e.GrowthPct != nil {
				mem += fmt.Sprintf("; %+.1f%% in the soak's second half", *e.GrowthPct)
			}
			lines = append(lines, mem+"\n")
		}
		for _, k := range slices.Sorted(maps.Keys(e.ErrorKinds)) {
			lines = append(lines, fmt.Sprintf("  %s\tedit error\t%d x %s\n", s.Name, e.ErrorKinds[k], k))
		}
	}
	if len(lines) == 0 {
		return
	}
	b.WriteString("\nedits (a catalog manager in the back office while the pages were measured)\n")
	list := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, l := range lines {
		io.WriteString(list, l)
	}
	list.Flush()
}

// p99Of is the p99 of the named scenario, 0 when it was not measured.
func (r *report) p99Of(name string) float64 {
	for _, s := range r.Scenarios {
		if s.Name == name {
			return s.P99Ms
		}
	}
	return 0
}

func (st startup) describe() string {
	var parts []string
	if st.Ready > 0 {
		parts = append(parts, fmt.Sprintf("ready after %.1fs", st.Ready.Seconds()))
	}
	if st.FirstProduct > 0 {
		parts = append(parts, fmt.Sprintf("first product page after %.1fs", st.FirstProduct.Seconds()))
	}
	return strings.Join(parts, ", ") + " (from `shop serve` starting, measured by bench/run-inner)"
}
