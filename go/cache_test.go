package orca_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	orca "github.com/orca-runtime/orca/go"
)

// compileIn compiles wasm with engine and returns the engine's cache counters.
func compileIn(t *testing.T, engine *orca.Engine, wasm []byte) orca.CacheStats {
	t.Helper()
	if _, err := orca.NewModule(engine, wasm); err != nil {
		t.Fatal(err)
	}
	stats, err := engine.CacheStats()
	if err != nil {
		t.Fatal(err)
	}
	return stats
}

// userCacheIn makes dir/orca the user's cache directory for the test.
func userCacheIn(t *testing.T, dir string) string {
	t.Setenv("ORCA_CACHE_DIR", "")
	t.Setenv("XDG_CACHE_HOME", dir)
	return filepath.Join(dir, "orca")
}

func TestNewEngineCachesInTheUserDirectory(t *testing.T) {
	cacheDir := userCacheIn(t, t.TempDir())
	if got := orca.DefaultCacheDir(); got != cacheDir {
		t.Fatalf("DefaultCacheDir() = %q, want %q", got, cacheDir)
	}
	wasm, err := orca.Wat2Wasm(`(module (func (export "f") (result i32) (i32.const 9)))`)
	if err != nil {
		t.Fatal(err)
	}
	first := orca.NewEngine()
	defer first.Close()
	if s := compileIn(t, first, wasm); s.Misses != 1 || s.Hits != 0 || s.WriteFailures != 0 {
		t.Fatalf("first engine: %+v, want one miss", s)
	}
	// A second engine (as a second run of the program would make) loads what the first compiled.
	second := orca.NewEngine()
	defer second.Close()
	if s := compileIn(t, second, wasm); s.Hits != 1 || s.Misses != 0 || s.Rejected != 0 {
		t.Fatalf("second engine: %+v, want one hit", s)
	}
	entries, err := filepath.Glob(filepath.Join(cacheDir, "*.orcamod"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries in %s: %v (%v)", cacheDir, entries, err)
	}
}

func TestNoCacheWritesNothing(t *testing.T) {
	home := t.TempDir()
	userCacheIn(t, home)
	engine, err := orca.NewEngineWithConfig(orca.Config{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	wasm, err := orca.Wat2Wasm(`(module (func (export "f") (result i32) (i32.const 8)))`)
	if err != nil {
		t.Fatal(err)
	}
	if s := compileIn(t, engine, wasm); s != (orca.CacheStats{}) {
		t.Fatalf("NoCache engine counted %+v", s)
	}
	if entries, err := os.ReadDir(home); err != nil || len(entries) != 0 {
		t.Fatalf("NoCache wrote %v (%v)", entries, err)
	}
	engine.Close()
	if _, err := engine.CacheStats(); !errors.Is(err, orca.ErrClosed) {
		t.Fatalf("CacheStats after Close: %v", err)
	}
}

func TestCacheMaxBytesEvicts(t *testing.T) {
	dir := t.TempDir()
	one, err := orca.Wat2Wasm(`(module (func (export "f") (result i32) (i32.const 1)))`)
	if err != nil {
		t.Fatal(err)
	}
	two, err := orca.Wat2Wasm(`(module (func (export "f") (result i32) (i32.const 2)))`)
	if err != nil {
		t.Fatal(err)
	}
	engine, err := orca.NewEngineWithConfig(orca.Config{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()
	compileIn(t, engine, one)
	entries, _ := filepath.Glob(filepath.Join(dir, "*.orcamod"))
	if len(entries) != 1 {
		t.Fatalf("entries: %v", entries)
	}
	info, err := os.Stat(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	// Room for one entry and a half: the second module's entry evicts the first.
	capped, err := orca.NewEngineWithConfig(orca.Config{CacheDir: dir, CacheMaxBytes: uint64(info.Size() * 3 / 2)})
	if err != nil {
		t.Fatal(err)
	}
	defer capped.Close()
	if s := compileIn(t, capped, two); s.Evicted != 1 {
		t.Fatalf("capped engine: %+v, want one eviction", s)
	}
	if _, err := os.Stat(entries[0]); !os.IsNotExist(err) {
		t.Fatalf("the older entry is still there (%v)", err)
	}
}
