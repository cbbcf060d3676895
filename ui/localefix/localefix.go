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

// changed records each variable init rewrote: what the user set, and what
// it was rewritten to.
var changed = map[string][2]string{}

func init() { fix() }

func fix() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		val := os.Getenv(v)
		if val == "" {
			continue
		}
		if base, _, _ := strings.Cut(val, "."); base == "C" || base == "POSIX" {
			to := "en_US." + strings.TrimPrefix(strings.TrimPrefix(val, base), ".")
			if !strings.Contains(val, ".") {
				to = "en_US"
			}
			os.Setenv(v, to)
			changed[v] = [2]string{val, to}
		}
	}
}

// Getenv is os.Getenv as the user set the variable, before this package
// rewrote C to en_US: the command line's dates follow the real locale, and
// under C keep their neutral form for scripts.
func Getenv(key string) string {
	val := os.Getenv(key)
	if c, ok := changed[key]; ok && val == c[1] {
		return c[0]
	}
	return val
}
