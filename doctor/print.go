package doctor

import (
	"fmt"
	"io"
)

// ANSI colours for a terminal.
const (
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	red    = "\x1b[31m"
	reset  = "\x1b[0m"
)

// Print writes one line per result, "ok", "warn" or "FAIL" first (green, yellow, red when colour
// is on), then the check's name and what it found; a line with the fix follows each warning and
// failure.
func Print(w io.Writer, rs []Result, colour bool) {
	width := 0
	for _, r := range rs {
		width = max(width, len(r.Name))
	}
	for _, r := range rs {
		mark := fmt.Sprintf("%-4s", r.Status)
		if colour {
			mark = map[Status]string{OK: green, Warn: yellow, Fail: red}[r.Status] + mark + reset
		}
		fmt.Fprintf(w, "%s  %-*s  %s\n", mark, width, r.Name, r.Detail)
		if r.Status != OK && r.Fix != "" {
			fmt.Fprintf(w, "      %-*s  fix: %s\n", width, "", r.Fix)
		}
	}
}
