package orca_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	orca "github.com/orca-runtime/orca/go"
)

const stressWat = `(module
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (import "env" "entered" (func $entered))
  (func (export "run") (param i32) (result i32) local.get 0 call $twice i32.const 1 i32.add)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "spin") call $entered (loop br 0)))`

// Every stressSpinEvery-th cycle runs a guest that loops until its context is cancelled.
const stressSpinEvery = 50

// stressCycles is the cycles per thread: ORCA_STRESS_CYCLES (CI's stress run sets 10000), else a
// thousand so that the package's tests stay short (and fast enough under -race).
func stressCycles(t *testing.T) int {
	text := os.Getenv("ORCA_STRESS_CYCLES")
	if text == "" {
		return 1000
	}
	n, err := strconv.Atoi(text)
	if err != nil || n <= 0 {
		t.Fatalf("ORCA_STRESS_CYCLES=%q is not a positive number", text)
	}
	return n
}

// residentBytes is the process's resident set size (Linux: /proc/self/statm, in pages).
func residentBytes(t *testing.T) int64 {
	text, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Fatalf("resident memory: %v", err)
	}
	fields := strings.Fields(string(text))
	pages, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		t.Fatalf("resident memory: %v", err)
	}
	return pages * int64(os.Getpagesize())
}

// stressCycle instantiates the module in a new store, calls through a host function, traps on a
// division by zero and, every stressSpinEvery-th cycle, spins until the interrupting goroutine
// cancels the call's context (it is handed the cancel function once the guest runs).
func stressCycle(engine *orca.Engine, module *orca.Module, i int, cancels chan<- context.CancelFunc) error {
	store := orca.NewStore(engine)
	defer store.Close()
	// The timeout is a backstop: should a cancellation never reach the guest, the spin ends with
	// DeadlineExceeded, which the check below reports, instead of hanging the test.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	linker := orca.NewLinker(store)
	defer linker.Close()
	if err := linker.DefineFunc("env", "twice", func(x int32) int32 { return 2 * x }); err != nil {
		return err
	}
	if err := linker.DefineFunc("env", "entered", func() { cancels <- cancel }); err != nil {
		return err
	}
	instance, err := linker.Instantiate(module)
	if err != nil {
		return err
	}
	results, err := instance.Func("run").Call(int32(i))
	if err != nil || len(results) != 1 || results[0] != int32(2*i+1) {
		return fmt.Errorf("run(%d) = %v, %v; want %d", i, results, err, 2*i+1)
	}
	var trap *orca.Trap
	if _, err := instance.Func("div").Call(int32(i), int32(0)); !errors.As(err, &trap) || trap.Code != orca.TrapIntegerDivideByZero {
		return fmt.Errorf("div(%d, 0): %v, want a division trap", i, err)
	}
	if i%stressSpinEvery == 0 {
		_, err := instance.Func("spin").CallContext(ctx)
		if !errors.Is(err, orca.TrapInterrupted) || !errors.Is(err, context.Canceled) {
			return fmt.Errorf("spin: %v, want an interruption by the cancelled context", err)
		}
	}
	return nil
}

// Two threads run cycles of instantiate, call, trap, interruption and close while a third cancels
// the spinning calls' contexts: nothing crashes, every result is right, and the resident memory
// stays within 10% of what it was after the warm-up.
func TestStressTwoThreadsTrapsAndCancellation(t *testing.T) {
	const threads = 2
	cycles := stressCycles(t)
	const warmUp = 2000 // cycles per thread before memory is measured: the allocators' arenas settle
	engine := orca.NewEngine()
	defer engine.Close()
	module, err := orca.NewModuleFromWat(engine, stressWat)
	if err != nil {
		t.Fatal(err)
	}
	defer module.Close()

	cancels := make(chan context.CancelFunc)
	interrupterDone := make(chan int)
	go func() {
		runtime.LockOSThread()
		n := 0
		for cancel := range cancels {
			time.Sleep(100 * time.Microsecond) // let the guest loop a while
			cancel()
			n++
		}
		interrupterDone <- n
	}()

	var warm sync.WaitGroup
	warm.Add(threads)
	resumed := make(chan struct{})
	errs := make(chan error, threads)
	var workers sync.WaitGroup
	started := time.Now()
	for w := 0; w < threads; w++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			runtime.LockOSThread() // each worker is its own OS thread, as in the other bindings
			defer runtime.UnlockOSThread()
			for i := 0; i < warmUp+cycles; i++ {
				if i == warmUp {
					warm.Done()
					<-resumed
				}
				if err := stressCycle(engine, module, i, cancels); err != nil {
					errs <- err
					if i < warmUp {
						warm.Done()
					}
					return
				}
			}
		}()
	}
	warm.Wait()
	// The Go heap's free pages go back to the system before each measure, so that what is
	// compared is what is in use, not when the scavenger last ran.
	debug.FreeOSMemory()
	before := residentBytes(t)
	close(resumed)
	workers.Wait()
	elapsed := time.Since(started)
	close(cancels)
	interrupts := <-interrupterDone
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	debug.FreeOSMemory()
	after := residentBytes(t)
	t.Logf("%d threads x %d cycles (after %d to warm up) in %.1f s, %d interruptions; resident %d KiB after the warm-up, %d KiB at the end (%+.1f%%)",
		threads, cycles, warmUp, elapsed.Seconds(), interrupts, before>>10, after>>10, 100*float64(after-before)/float64(before))
	if want := threads * ((warmUp + cycles + stressSpinEvery - 1) / stressSpinEvery); interrupts != want && !t.Failed() {
		t.Errorf("%d interruptions, want %d", interrupts, want)
	}
	if after > before+before/10 {
		t.Errorf("resident memory grew from %d KiB to %d KiB after the warm-up (more than 10%%)", before>>10, after>>10)
	}
}
