package vcard

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// vobjectScript parses stdin with python3-vobject (an independent parser)
// and prints the number of cards, then FN, first TEL and first EMAIL of each.
const vobjectScript = `
import sys, vobject
cards = list(vobject.readComponents(sys.stdin.read()))
print(len(cards))
for c in cards:
    tel = c.tel.value if hasattr(c, 'tel') else ''
    email = c.email.value if hasattr(c, 'email') else ''
    print(c.fn.value.replace('\n', ' ') + '|' + tel + '|' + email)
`

// TestVobjectParsesOutput checks our output in an independent parser.
func TestVobjectParsesOutput(t *testing.T) {
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import vobject").Run(); err != nil {
		t.Skipf("python3-vobject not available (%v): apt-get install -y python3-vobject", err)
	}
	recs := variedRecords(t)

	for _, v := range []string{"3.0", "4.0"} {
		out := encodeAll(t, recs, Options{Version: v, Confidential: true})
		cmd := exec.Command(py, "-c", vobjectScript)
		cmd.Stdin = bytes.NewReader(out)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		res, err := cmd.Output()
		if err != nil {
			t.Fatalf("v%s: vobject failed: %v\n%s", v, err, stderr.Bytes())
		}
		lines := strings.Split(strings.TrimSpace(string(res)), "\n")
		if lines[0] != itoa(len(recs)) {
			t.Fatalf("v%s: vobject read %s cards, we wrote %d", v, lines[0], len(recs))
		}
		for i, r := range recs {
			got := strings.Split(lines[i+1], "|")
			want := strings.ReplaceAll(r.Customer.Name(), "\n", " ")
			if got[0] != want {
				t.Errorf("v%s card %d: vobject FN %q, want %q", v, i+1, got[0], want)
			}
			if len(r.Customer.Phones) > 0 && got[1] != r.Customer.Phones[0].Value {
				t.Errorf("v%s card %d: vobject TEL %q, want %q", v, i+1, got[1], r.Customer.Phones[0].Value)
			}
			if len(r.Customer.Emails) > 0 && got[2] != r.Customer.Emails[0].Value {
				t.Errorf("v%s card %d: vobject EMAIL %q, want %q", v, i+1, got[2], r.Customer.Emails[0].Value)
			}
		}
		t.Logf("v%s: vobject read all %d cards", v, len(recs))
	}
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
