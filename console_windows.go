//go:build windows

package main

import (
	"os"
	"strings"

	"golang.org/x/sys/windows"
)

// The Windows build is a GUI program (no console window opens behind the
// app), and a GUI program starts without a console: `rapport search …` typed
// in a terminal would print nothing. So a subcommand attaches to the console
// it was started from, unless its output is already redirected to a file or
// pipe.
func init() {
	if len(os.Args) < 2 || strings.HasPrefix(os.Args[1], "-") {
		return // the window opens: no console wanted
	}
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started from Explorer or a shortcut: there is no console
	}
	reopen := func(std uint32, f **os.File, name string) {
		if h, err := windows.GetStdHandle(std); err == nil && h != 0 && h != windows.InvalidHandle {
			return // redirected: keep the file or pipe
		}
		conout, err := windows.UTF16PtrFromString("CONOUT$")
		if err != nil {
			return
		}
		h, err := windows.CreateFile(conout, windows.GENERIC_READ|windows.GENERIC_WRITE,
			windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
		if err != nil {
			return
		}
		*f = os.NewFile(uintptr(h), name)
	}
	reopen(windows.STD_OUTPUT_HANDLE, &os.Stdout, "/dev/stdout")
	reopen(windows.STD_ERROR_HANDLE, &os.Stderr, "/dev/stderr")
}
