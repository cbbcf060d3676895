package data

import (
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// The generated table must say what the library says, for every code and
// beyond its end; a stale table (the library updated, go generate not run)
// fails here. The library is linked into the test binary only.
func TestCallingCodesMatchLibphonenumber(t *testing.T) {
	for cc := 0; cc <= 9999; cc++ {
		want := phonenumbers.GetRegionCodeForCountryCode(cc) != phonenumbers.UNKNOWN_REGION
		got := cc < len(callingCodes) && callingCodes[cc]
		if got != want {
			t.Errorf("calling code %d: table says %v, libphonenumber says %v (run go generate ./data/)", cc, got, want)
		}
	}
}
