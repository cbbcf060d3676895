// Package localefix maps the POSIX "C" locale to "en" before Fyne reads it.
// Fyne parses the locale while its packages initialise and logs
// "Error parsing user locale C" on every run under LANG=C (scripts, CI,
// containers), which would clutter the command line's stderr. Imported by
// main for its side effect; Go initialises it before Fyne's lang package,
// because it is ready first in import-path order (it needs only os).
package localefix

import (
	"os"
	"strings"
)

func init() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		val := os.Getenv(v)
		if val == "" {
			continue
		}
		if base, _, _ := strings.Cut(val, "."); base == "C" || base == "POSIX" {
			os.Setenv(v, "en_US."+strings.TrimPrefix(strings.TrimPrefix(val, base), "."))
			if !strings.Contains(val, ".") {
				os.Setenv(v, "en_US")
			}
		}
	}
}
