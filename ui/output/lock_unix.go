//go:build unix

package output

import (
	"os"
	"syscall"
)

// lockTemp holds a lock on a temporary file for as long as it is open; the
// kernel lets go of it when the process dies, however it dies.
func lockTemp(f *os.File) {
	syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// tempInUse reports whether a running Rapport still holds path's lock.
func tempInUse(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil
}
