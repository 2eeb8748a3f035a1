<?php
// The Orca\ API, written in PHP over the SWIG layer (bindings/orca.i). It is compiled into the
// extension (php/generate.sh embeds it) and defined at the start of each request, so users load
// the extension alone. The exception classes Orca\Exception, Trap, LinkError and Exit are
// registered by the extension in C (`Exit` is a reserved word in PHP source).
//
// Lifetimes: functions, memories and instances live in their store, and a store must go before
// its engine. Every object holds the PHP object it depends on, and declares its low-level handle
// first, because PHP releases an object's properties in declaration order: the handle goes
// before the parent it needs. Store::close() releases the store at once; every object of it then
// throws Orca\Exception instead of touching freed memory.

namespace Orca;

/** The value types host functions take and return; the values are wasm.h's wasm_valkind_t. */
enum Type: int
{
    case I32 = 0;
    case I64 = 1;
    case F32 = 2;
    case F64 = 3;
}

final class Engine
{
    /** @internal the wasm_engine_t handle */
    public readonly object $raw;

    /**
     * @param bool $consumeFuel compile fuel metering (stores then start with no fuel)
     * @param bool $interruptible compile checks so that Store::interrupt and deadlines stop guests
     * @param string|null $cacheDir keep compiled code in this directory; null for no cache
     */
    public function __construct(bool $consumeFuel = false, bool $interruptible = false, ?string $cacheDir = null)
    {
        $config = \wasm_config_new();
        \orca_config_consume_fuel_set($config, $consumeFuel);
        \orca_config_interruptible_set($config, $interruptible);
        if ($cacheDir !== null) {
            \orca_config_cache_dir_set($config, $cacheDir);
        }
        $raw = \wasm_engine_new_with_config($config);
        if ($raw === null) {
            throw new Exception('the engine could not be created');
        }
        $this->raw = $raw;
    }
}

final class Store
{
    /** The wasm_store_t handle, null once closed; declared before $engine to be released first. */
    private ?object $raw;
    public readonly Engine $engine;

    public function __construct(Engine $engine)
    {
        $this->raw = \wasm_store_new($engine->raw);
        $this->engine = $engine;
    }

    /** @internal the live handle; throws once the store is closed */
    public function raw(): object
    {
        return $this->raw ?? throw new Exception('the store is closed');
    }

    /** Frees the store and everything in it now; its objects throw from then on. */
    public function close(): void
    {
        $this->raw = null;
    }

    public function isClosed(): bool
    {
        return $this->raw === null;
    }

    public function setFuel(int $fuel): void
    {
        \orca_store_fuel_set($this->raw(), $fuel);
    }

    public function getFuel(): int
    {
        return \orca_store_fuel_get($this->raw());
    }

    /** Makes running code trap "interrupted" (Trap::INTERRUPTED) at its next check. */
    public function interrupt(): void
    {
        \orca_store_interrupt($this->raw());
    }

    /** Interrupts running code $seconds from now; 0 clears the deadline. */
    public function setDeadline(float $seconds): void
    {
        if ($seconds < 0) {
            throw new \ValueError('the deadline must not be negative');
        }
        \orca_store_deadline_set($this->raw(), (int) round($seconds * 1e9));
    }
}

final class Module
{
    /** @internal the wasm_module_t handle; declared before $engine to be released first */
    public readonly object $raw;
    public readonly Engine $engine;

    private function __construct(Engine $engine, object $raw)
    {
        $this->raw = $raw;
        $this->engine = $engine;
    }

    /** Compiles a binary module; Orca\Exception (code: the error kind) when it is not valid. */
    public static function fromBinary(Engine $engine, string $binary): self
    {
        return new self($engine, \orca_module_new($engine->raw, $binary));
    }

    /** Compiles a module in the text format. */
    public static function fromWat(Engine $engine, string $text): self
    {
        return self::fromBinary($engine, self::wat2wasm($text));
    }

    public static function wat2wasm(string $text): string
    {
        return \orca_wat2wasm($text);
    }
}

final class Linker
{
    /** The orca_linker_t handle; declared before $store to be released first. */
    private object $raw;
    /** The WASI guest's state (borrowed from the store), once defined. */
    private ?object $wasi = null;
    public readonly Store $store;

    public function __construct(Store $store)
    {
        $this->raw = \orca_linker_new($store->raw());
        $this->store = $store;
    }

    /**
     * Defines every WASI preview1 function for a guest with these arguments (program name first).
     * Its standard output and error are captured (read them with stdout() and stderr()).
     * @param list<string> $args
     */
    public function defineWasi(array $args = ['main']): void
    {
        foreach ($args as $arg) {
            if (!is_string($arg) || str_contains($arg, "\0")) {
                throw new \ValueError('WASI arguments must be strings without NUL bytes');
            }
        }
        $this->store->raw();
        $words = $args ? implode("\0", $args) . "\0" : '';
        $this->wasi = \orca_linker_define_wasi_captured($this->raw, $words, true);
    }

    /**
     * Defines the PHP callable $func as the function $module.$name with these parameter and result
     * types. It gets ints (i32, i64) and floats (f32, f64) and returns null for no results, the value
     * for one, a list for several. What it throws reaches the wasm caller as a trap, and the caller
     * of the wasm function gets Orca\Trap with the thrown exception as getPrevious().
     * The store keeps $func until it is closed or freed.
     * @param list<Type> $params
     * @param list<Type> $results
     */
    public function defineFunc(string $module, string $name, array $params, array $results, callable $func): void
    {
        \orca_php_linker_define_func($this->raw, $this->store->raw(), $module, $name, self::kinds($params),
            self::kinds($results), $func);
    }

    /** @param list<Type> $types as one byte per type, the form the extension takes */
    private static function kinds(array $types): string
    {
        $kinds = '';
        foreach ($types as $type) {
            if (!$type instanceof Type) {
                throw new \TypeError('host function types must be Orca\\Type cases');
            }
            $kinds .= chr($type->value);
        }
        return $kinds;
    }

    /** Defines every export of $instance under the module name $module. */
    public function defineInstance(string $module, Instance $instance): void
    {
        $this->store->raw();
        \orca_linker_define_instance($this->raw, $module, $instance->raw());
    }

    /** Instantiates $module with this linker's definitions; Orca\LinkError for missing imports. */
    public function instantiate(Module $module): Instance
    {
        $this->store->raw();
        return new Instance($this->store, \orca_linker_instantiate($this->raw, $module->raw));
    }

    /** What the WASI guest wrote to its standard output so far. */
    public function stdout(): string
    {
        $this->store->raw();
        return $this->wasi ? \wasi_env_stdout($this->wasi) : '';
    }

    /** What the WASI guest wrote to its standard error so far. */
    public function stderr(): string
    {
        $this->store->raw();
        return $this->wasi ? \wasi_env_stderr($this->wasi) : '';
    }
}

final class Instance
{
    /** The wasm_instance_t handle; declared before $store to be released first. */
    private object $raw;
    public readonly Store $store;

    /** @internal made by Linker::instantiate and Instance::new */
    public function __construct(Store $store, object $raw)
    {
        $this->raw = $raw;
        $this->store = $store;
    }

    /** Instantiates a module that has no imports. */
    public static function new(Store $store, Module $module): self
    {
        return (new Linker($store))->instantiate($module);
    }

    /** @internal the live handle; throws once the store is closed */
    public function raw(): object
    {
        $this->store->raw();
        return $this->raw;
    }

    /** The export $name as a Func or Memory; null when there is none (or of another kind yet). */
    public function export(string $name): Func|Memory|null
    {
        $item = \orca_instance_export($this->raw(), $name);
        if ($item === null) {
            return null;
        }
        if (($func = \orca_extern_func($item)) !== null) {
            return new Func($this->store, $func);
        }
        if (($memory = \orca_extern_memory($item)) !== null) {
            return new Memory($this->store, $memory);
        }
        return null;
    }

    /** The exported function $name; Orca\Exception when there is none. */
    public function func(string $name): Func
    {
        $export = $this->export($name);
        return $export instanceof Func ? $export : throw new Exception("no exported function \"$name\"");
    }

    /** The exported memory $name; Orca\Exception when there is none. */
    public function memory(string $name = 'memory'): Memory
    {
        $export = $this->export($name);
        return $export instanceof Memory ? $export : throw new Exception("no exported memory \"$name\"");
    }
}

final class Func
{
    /** The wasm_func_t handle; declared before $store to be released first. */
    private object $raw;
    public readonly Store $store;

    /** @internal made by Instance::export */
    public function __construct(Store $store, object $raw)
    {
        $this->raw = $raw;
        $this->store = $store;
    }

    /**
     * Calls the function with ints (i32, i64) and floats (f32, f64). Returns null, the one result,
     * or a list of results. A trap throws Orca\Trap, a guest's exit Orca\Exit.
     */
    public function call(int|float ...$args): int|float|array|null
    {
        $this->store->raw();
        return \orca_php_func_call($this->raw, $args);
    }

    public function __invoke(int|float ...$args): int|float|array|null
    {
        return $this->call(...$args);
    }

    public function paramCount(): int
    {
        $this->store->raw();
        return \wasm_func_param_arity($this->raw);
    }

    public function resultCount(): int
    {
        $this->store->raw();
        return \wasm_func_result_arity($this->raw);
    }
}

final class Memory
{
    public const PAGE_SIZE = 65536;

    /** The wasm_memory_t handle; declared before $store to be released first. */
    private object $raw;
    public readonly Store $store;

    /** @internal made by Instance::export */
    public function __construct(Store $store, object $raw)
    {
        $this->raw = $raw;
        $this->store = $store;
    }

    private function live(): object
    {
        $this->store->raw();
        return $this->raw;
    }

    /** $length bytes at $offset; Orca\Exception when the range is not inside the memory. */
    public function read(int $offset, int $length): string
    {
        $raw = $this->live();
        if ($offset < 0 || $length < 0 || !\orca_memory_in_bounds($raw, $offset, $length)) {
            throw new Exception("out of bounds memory access: $length bytes at $offset");
        }
        return \orca_memory_read($raw, $offset, $length);
    }

    /** Writes $bytes at $offset; Orca\Exception (nothing written) when they do not fit. */
    public function write(int $offset, string $bytes): void
    {
        $raw = $this->live();
        if ($offset < 0 || !\orca_memory_write($raw, $offset, $bytes)) {
            throw new Exception('out of bounds memory access: ' . strlen($bytes) . " bytes at $offset");
        }
    }

    /** The size in pages of 64 KiB. */
    public function size(): int
    {
        return \wasm_memory_size($this->live());
    }

    /** The size in bytes. */
    public function dataSize(): int
    {
        return \wasm_memory_data_size($this->live());
    }

    /** Grows by $pages; returns the previous size in pages. Orca\Exception when it cannot grow. */
    public function grow(int $pages): int
    {
        $raw = $this->live();
        $previous = \wasm_memory_size($raw);
        if ($pages < 0 || $pages > 0xFFFFFFFF || !\wasm_memory_grow($raw, $pages)) {
            throw new Exception("the memory cannot grow by $pages pages");
        }
        return $previous;
    }
}
