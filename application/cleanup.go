package application

import (
	"context"
	"errors"
	"fmt"

	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// maxBatchesPerRun bounds one run of one sweeper, so that rows arriving as
// fast as they are deleted cannot keep a run going forever; the next run
// goes on where it stopped.
const maxBatchesPerRun = 1000

// Cleanup runs every sweeper in batches until each has nothing left.
type Cleanup struct {
	sweepers []outbound.Sweeper
	clock    outbound.Clock
	batch    int
}

var _ inbound.Cleanup = (*Cleanup)(nil)

// NewCleanup builds the use case over the sweepers the wiring collected.
func NewCleanup(sweepers []outbound.Sweeper, clock outbound.Clock, rules CleanupRules) *Cleanup {
	return &Cleanup{sweepers: sweepers, clock: clock, batch: max(rules.BatchSize, 1)}
}

// Handle sweeps with one "now" for the whole run. A sweeper that fails
// does not stop the others; the errors are returned together, with what
// was deleted.
func (uc *Cleanup) Handle(ctx context.Context, _ inbound.CleanupCommand) (inbound.CleanupReport, error) {
	now := uc.clock.Now()
	report := inbound.CleanupReport{}
	var errs []error
	for _, s := range uc.sweepers {
		total := 0
		for range maxBatchesPerRun {
			n, err := s.Sweep(ctx, now, uc.batch)
			total += n
			if err != nil {
				errs = append(errs, fmt.Errorf("cleanup %s: %w", s.Name(), err))
				break
			}
			if n < uc.batch {
				break
			}
		}
		report[s.Name()] += total
	}
	return report, errors.Join(errs...)
}
