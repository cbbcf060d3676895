//go:build !unix

package output

import "os"

// Where there is no flock, a file still open cannot be removed either
// (Windows), so age alone decides.
func lockTemp(*os.File) {}

func tempInUse(string) bool { return false }
