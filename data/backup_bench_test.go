package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkBackup10k measures one backup (VACUUM INTO, fsync, rename) of a
// database of 10,000 customers and 100,000 interactions: what an import, an
// undo or the daily backup waits for.
func BenchmarkBackup10k(b *testing.B) {
	s, _ := benchStore(b, 10_000, 100_000)
	defer s.Close()
	ctx := context.Background()
	dir := b.TempDir()
	var size int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dest := filepath.Join(dir, fmt.Sprintf("b%d.db", i))
		if err := s.Backup(ctx, dest); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if fi, err := os.Stat(dest); err == nil {
			size = fi.Size()
		}
		os.Remove(dest)
		b.StartTimer()
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB")
}

// BenchmarkInspect10k measures the check a restore makes of a backup of
// the same database (integrity_check reads every page).
func BenchmarkInspect10k(b *testing.B) {
	s, _ := benchStore(b, 10_000, 100_000)
	ctx := context.Background()
	dest := filepath.Join(b.TempDir(), "b.db")
	if err := s.Backup(ctx, dest); err != nil {
		b.Fatal(err)
	}
	s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Inspect(ctx, dest); err != nil {
			b.Fatal(err)
		}
	}
}
