package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/store/storetest"
)

// BenchmarkLoadAll measures what the embedded CORDIS subset adds to
// loading the demo (docs/benchmarks.md):
//
//	go test ./internal/demo/ -run '^$' -bench LoadAll -benchtime 5x
func BenchmarkLoadAll(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []demo.Option
	}{{"without-cordis", []demo.Option{demo.WithoutCORDIS()}}, {"with-cordis", nil}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				a := app.New(storetest.NewSQLite(b), app.Config{Mail: noMail{}})
				b.StartTimer()
				if _, err := demo.LoadAll(context.Background(), a, time.Now().UTC(), bc.opts...); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				a.Close()
				b.StartTimer()
			}
		})
	}
}
