package cli

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rapportcrm/rapport/ui/output"
)

// The files a command writes go through package output, which the window
// shares: 0600, through a synced temporary file beside the target.
const (
	tmpMarker  = output.TmpMarker
	staleAfter = output.StaleAfter
)

func createOutput(ctx context.Context, path string, stdout io.Writer) (io.Writer, func(error) error, error) {
	return output.Create(ctx, path, stdout)
}

func removeStale(dir string, now time.Time) { output.RemoveStale(dir, now) }

// withSignals cancels ctx on SIGINT or SIGTERM, so a command can remove
// what it half wrote and exit; a second signal kills as usual.
func withSignals(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}
