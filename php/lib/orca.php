<?php
// The Orca\ API, written in PHP over the SWIG layer (bindings/orca.i). It is compiled into the
// extension (php/generate.sh embeds it) and defined in a request when it first names an Orca\
// class (an autoloader the extension registers), so users load the extension alone and requests
// that do not use Orca do not pay for defining it. Everything here is a class for that reason:
// functions cannot be autoloaded. The exception classes Orca\Exception, Trap, LinkError and Exit are
// registered by the extension in C (`Exit` is a reserved word in PHP source).
//
// Lifetimes: functions, memories and instances live in their store, and a store must go before
// its engine. Every object holds the PHP object it depends on, and declares its low-level handle
// first, because PHP releases an object's properties in declaration order: the handle goes
// before the parent it needs. Store::close() releases the store at once; every object of it then
// throws Orca\Exception instead of touching freed memory.

namespace Orca;

/**
 * The value types; the values are wasm.h's wasm_valkind_t. In PHP an i32 or i64 is an int, an f32
 * or f64 a float, a v128 a string of 16 bytes (lane 0 first), a funcref an Orca\Func or null, an
 * externref any PHP value (null: ref.null).
 */
enum Type: int
{
    case I32 = 0;
    case I64 = 1;
    case F32 = 2;
    case F64 = 3;
    case V128 = 4;
    case EXTERNREF = 128;
    case FUNCREF = 129;

    /** The type's name in the text format: "i32", ..., "funcref". */
    public function wasmName(): string
    {
        return strtolower($this->name);
    }

    /** @param list<Type> $types @internal as one byte per type, the form the extension takes */
    public static function pack(array $types): string
    {
        $kinds = '';
        foreach ($types as $type) {
            $kinds .= chr(($type instanceof self ? $type : throw new \TypeError('types must be Orca\\Type cases'))->value);
        }
        return $kinds;
    }

    /** @return list<Type> @internal from one byte per type */
    public static function unpack(string $kinds): array
    {
        return array_map(fn(string $kind) => self::from(ord($kind)), $kinds === '' ? [] : str_split($kinds));
    }
}

/**
 * A value with its wasm type, for when a PHP value alone does not say which type is meant: every
 * place that takes a value takes an Orca\Val too, and refuses one of another type (TypeError).
 */
final class Val
{
    private function __construct(public readonly Type $type, public readonly mixed $value)
    {
    }

    public static function i32(int $value): self
    {
        return new self(Type::I32, $value);
    }

    public static function i64(int $value): self
    {
        return new self(Type::I64, $value);
    }

    public static function f32(float $value): self
    {
        return new self(Type::F32, $value);
    }

    public static function f64(float $value): self
    {
        return new self(Type::F64, $value);
    }

    /** @param string $bytes 16 bytes, lane 0 first */
    public static function v128(string $bytes): self
    {
        return new self(Type::V128, $bytes);
    }

    public static function funcref(?Func $func): self
    {
        return new self(Type::FUNCREF, $func);
    }

    public static function externref(mixed $value): self
    {
        return new self(Type::EXTERNREF, $value);
    }

    /** The bits of $value as an f32 (a NaN's payload kept, which a (float) cast in C would not). */
    public static function f32Bits(float $value): int
    {
        return \orca_php_f32_bits($value);
    }

    /** The float whose f32 bits are $bits; passing it to an f32 gives exactly those bits back. */
    public static function f32FromBits(int $bits): float
    {
        return \orca_php_f32_from_bits($bits);
    }
}

/** What a module imports or exports. */
enum ExternKind: string
{
    case Func = 'func';
    case Global = 'global';
    case Table = 'table';
    case Memory = 'memory';

    /** @internal from wasm.h's wasm_externkind_t */
    public static function fromKind(int $kind): self
    {
        return [self::Func, self::Global, self::Table, self::Memory][$kind];
    }
}

/** A function's parameter and result types. */
final class FuncType
{
    /** @param list<Type> $params @param list<Type> $results */
    public function __construct(public readonly array $params, public readonly array $results)
    {
    }
}

/** A memory's size limits in pages of 64 KiB; $max null when it may grow without one. */
final class MemoryType
{
    public function __construct(public readonly int $min, public readonly ?int $max)
    {
    }
}

/** A table's element type and size limits; $max null when it has none. */
final class TableType
{
    public function __construct(public readonly Type $element, public readonly int $min, public readonly ?int $max)
    {
    }
}

/** A global's value type and whether it may be set. */
final class GlobalType
{
    public function __construct(public readonly Type $content, public readonly bool $mutable)
    {
    }
}

/** An export of a module: its name and kind. */
final class ExportType
{
    public function __construct(public readonly string $name, public readonly ExternKind $kind)
    {
    }
}

/** An import of a module: the module and name it asks for, and its kind. */
final class ImportType
{
    public function __construct(public readonly string $module, public readonly string $name,
        public readonly ExternKind $kind)
    {
    }
}

/** One wasm frame of a trap (Orca\Trap::getFrames(), innermost first). */
final class Frame
{
    /**
     * @param int $funcIndex the function's index in its module
     * @param string|null $funcName its name from the module's name section, if any
     * @param int $moduleOffset the byte offset of the instruction in the module
     * @param int $funcOffset the same, from the start of the function's body
     */
    public function __construct(public readonly int $funcIndex, public readonly ?string $funcName,
        public readonly int $moduleOffset, public readonly int $funcOffset)
    {
    }
}

final class Engine
{
    /** @internal the wasm_engine_t handle */
    public readonly object $raw;

    private const FEATURES = ['mutable_globals' => 0, 'saturating_float_to_int' => 1, 'sign_extension' => 2,
        'multi_value' => 3, 'bulk_memory' => 4, 'reference_types' => 5, 'simd' => 6, 'threads' => 7,
        'memory64' => 8, 'tail_call' => 9, 'exceptions' => 10, 'gc' => 11];

    /** The module limits by name, in the order of orca.h's orca_limit_enum. */
    public const LIMITS = ['module_bytes' => 0, 'types' => 1, 'functions' => 2, 'imports' => 3, 'exports' => 4,
        'globals' => 5, 'tables' => 6, 'data_segments' => 7, 'params' => 8, 'results' => 9,
        'function_body_bytes' => 10, 'locals' => 11, 'nesting_depth' => 12, 'br_table_targets' => 13];

    private const COMPILE = ['eager' => 0, 'lazy' => 1];

    /**
     * The module limits this engine compiles under, by name (the keys of LIMITS); null: none.
     * @var array<string, int|null>
     */
    public readonly array $limits;

    /**
     * @param bool $consumeFuel compile fuel metering (stores then start with no fuel)
     * @param bool $interruptible compile the checks that let Store::interrupt(), deadlines and PHP's
     *        max_execution_time stop a guest (on by default; costs a few percent of speed)
     * @param bool $cache keep compiled code on disk, in $cacheDir or else the user's cache
     *        directory (ORCA_CACHE_DIR, XDG_CACHE_HOME/orca, ~/.cache/orca)
     * @param string|null $cacheDir the cache directory
     * @param bool $boundsChecks compare each memory access with the size instead of guard pages
     * @param int $optLevel 0..3 (2: the default)
     * @param array<string, bool> $features WebAssembly features on or off by name ("simd" => false)
     * @param string $compile "eager" compiles and optimises a whole module in Module::fromBinary;
     *        "lazy" compiles each function, fast and less optimised, when it is first called
     * @param array<string, int|null> $limits bounds on what a module may declare, by name (the keys
     *        of Engine::LIMITS; null lifts one): ['locals' => 1000]. A module over a limit is
     *        refused with Orca\Exception (getKind() "unsupported") naming the limit; limits left
     *        out keep Orca's defaults ($limits shows them)
     */
    public function __construct(bool $consumeFuel = false, bool $interruptible = true, bool $cache = true,
        ?string $cacheDir = null, bool $boundsChecks = false, int $optLevel = 2, array $features = [],
        string $compile = 'eager', array $limits = [])
    {
        if ($optLevel < 0 || $optLevel > 3) {
            throw new \ValueError('the optimization level is 0, 1, 2 or 3');
        }
        $strategy = self::COMPILE[$compile] ?? throw new \ValueError("the compile strategy is \"eager\" or \"lazy\", not \"$compile\"");
        foreach ($limits as $name => $value) {
            if (!isset(self::LIMITS[$name])) {
                throw new \ValueError("unknown limit \"$name\" (known: " . implode(', ', array_keys(self::LIMITS)) . ')');
            }
            if ($value !== null && (!is_int($value) || $value < 0)) {
                throw new \ValueError("the limit \"$name\" is null (none) or an int from 0");
            }
        }
        $config = \wasm_config_new();
        \orca_config_compile_strategy_set($config, $strategy);
        foreach ($limits as $name => $value) {
            // -1 is UINT64_MAX for the C API: no limit.
            \orca_config_limit_set($config, self::LIMITS[$name], $value ?? -1);
        }
        $effective = [];
        foreach (self::LIMITS as $name => $limit) {
            $value = \orca_config_limit_get($config, $limit);
            $effective[$name] = $value === -1 ? null : $value;
        }
        $this->limits = $effective;
        \orca_config_consume_fuel_set($config, $consumeFuel);
        \orca_config_interruptible_set($config, $interruptible);
        \orca_config_bounds_checks_set($config, $boundsChecks);
        \orca_config_opt_level_set($config, $optLevel);
        if ($cacheDir !== null && $cache) {
            \orca_config_cache_dir_set($config, $cacheDir);
        } elseif ($cache) {
            \orca_config_cache_default($config);
        }
        foreach ($features as $name => $on) {
            $feature = self::FEATURES[$name] ?? throw new \ValueError("unknown WebAssembly feature \"$name\"");
            \orca_config_feature_set($config, $feature, (bool) $on);
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

    /** Sets the fuel (Engine consumeFuel: true); running out traps Trap::OUT_OF_FUEL. */
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

    /**
     * Limits what the store may hold; null leaves a limit as it is. Memories cannot grow past
     * $memoryBytes nor tables past $tableElements (memory.grow returns -1, Memory::grow throws);
     * creating more instances, tables or memories than allowed fails.
     */
    public function setLimits(?int $memoryBytes = null, ?int $tableElements = null, ?int $instances = null,
        ?int $tables = null, ?int $memories = null): void
    {
        foreach (func_get_args() as $limit) {
            if ($limit !== null && $limit < 0) {
                throw new \ValueError('limits must not be negative');
            }
        }
        \orca_store_limits_set($this->raw(), $memoryBytes ?? -1, $tableElements ?? -1, $instances ?? -1,
            $tables ?? -1, $memories ?? -1);
    }

    /**
     * Frees the instances that nothing keeps, with their memories and tables, and returns how
     * many. An instance is kept while a PHP object of it or of one of its exports exists (until
     * Instance::close()), while a linker defines its exports, and while a kept instance imports
     * what it defined or a table or global holds one of its functions. Instantiating collects by
     * itself when the store has doubled since the last collection; call this to free at once, at
     * the end of a request. Returns 0 from a host function (wasm code of the store is running).
     */
    public function collect(): int
    {
        return \orca_store_collect($this->raw());
    }

    /** The instances in the store: live ones and those no collection has freed yet. */
    public function instanceCount(): int
    {
        return \orca_store_instance_count($this->raw());
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

    /** Compiles a binary module; Orca\Exception (getKind(): "malformed", "invalid") when it is not valid. */
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

    /** The compiled module as bytes that deserialize() loads without compiling again. */
    public function serialize(): string
    {
        return \wasm_module_serialize($this->raw);
    }

    /**
     * Loads what serialize() made, with an engine of the same configuration. Bytes of anything else
     * (or of another Orca version, CPU or configuration) throw Orca\Exception; trust artifacts like
     * code: only load those you made.
     */
    public static function deserialize(Engine $engine, string $artifact): self
    {
        return new self($engine, \orca_module_deserialize($engine->raw, $artifact));
    }

    /** @return list<ExportType> in the module's order */
    public function exports(): array
    {
        return array_map(fn(array $item) => new ExportType($item[1], ExternKind::fromKind(ord($item[0]))),
            self::unpack(\orca_module_items($this->raw, false), 2));
    }

    /** @return list<ImportType> in the module's order */
    public function imports(): array
    {
        return array_map(fn(array $item) => new ImportType($item[1], $item[2], ExternKind::fromKind(ord($item[0]))),
            self::unpack(\orca_module_items($this->raw, true), 3));
    }

    /** @return list<list<string>> items of $fields names, each a 4-byte little-endian length and bytes */
    private static function unpack(string $packed, int $fields): array
    {
        $items = [];
        for ($at = 0; $at < strlen($packed);) {
            $item = [];
            for ($field = 0; $field < $fields; ++$field) {
                $length = unpack('V', $packed, $at)[1];
                $item[] = substr($packed, $at + 4, $length);
                $at += 4 + $length;
            }
            $items[] = $item;
        }
        return $items;
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

    /** Lets later definitions replace earlier ones of the same name (off: a duplicate is an error). */
    public function allowShadowing(bool $allow = true): void
    {
        $this->store->raw();
        \orca_linker_allow_shadowing($this->raw, $allow);
    }

    /**
     * Defines every WASI preview1 function for one guest.
     * @param list<string> $args the guest's arguments, program name first
     * @param array<string, string> $env its environment variables
     * @param array<string, string> $preopens the host directories it may use, by the path the guest
     *        sees them at (['/data' => '/srv/app/data']); nothing else of the file system is visible
     * @param string|null $stdin what it reads from standard input (null: nothing, end of file)
     * @param bool $captureOutput keep its standard output and error for stdout() and stderr(); false
     *        writes them to PHP's own
     */
    public function defineWasi(array $args = ['main'], array $env = [], array $preopens = [], ?string $stdin = null,
        bool $captureOutput = true): void
    {
        $this->store->raw();
        $config = \wasi_config_new();
        \orca_wasi_config_args($config, self::words($args, 'arguments'));
        $pairs = [];
        foreach ($env as $name => $value) {
            if (str_contains((string) $name, '=')) {
                throw new \ValueError('WASI environment names must not contain "="');
            }
            array_push($pairs, (string) $name, $value);
        }
        \orca_wasi_config_env($config, self::words($pairs, 'environment variables'));
        foreach ($preopens as $guest => $host) {
            \wasi_config_preopen_dir($config, self::word($host, 'preopened directories'),
                self::word((string) $guest, 'preopened directories'));
        }
        if ($stdin !== null) {
            \wasi_config_set_stdin_bytes($config, $stdin);
        }
        if ($captureOutput) {
            \wasi_config_capture_stdout($config);
            \wasi_config_capture_stderr($config);
        } else {
            \wasi_config_inherit_stdout($config);
            \wasi_config_inherit_stderr($config);
        }
        $this->wasi = \orca_linker_define_wasi($this->raw, $config);
    }

    private static function word(mixed $word, string $what): string
    {
        if (!is_string($word) || str_contains($word, "\0")) {
            throw new \ValueError("WASI $what must be strings without NUL bytes");
        }
        return $word;
    }

    /** @param list<mixed> $words as NUL-terminated words, the form the extension takes */
    private static function words(array $words, string $what): string
    {
        $packed = '';
        foreach ($words as $word) {
            $packed .= self::word($word, $what) . "\0";
        }
        return $packed;
    }

    /**
     * Defines the PHP callable $func as the function $module.$name with these parameter and result
     * types (see Func::new: values, results, exceptions, and an Orca\Caller as first parameter).
     * The store keeps $func until it is closed or freed.
     * @param list<Type> $params
     * @param list<Type> $results
     */
    public function defineFunc(string $module, string $name, array $params, array $results, callable $func): void
    {
        $this->define($module, $name, Func::new($this->store, $params, $results, $func));
    }

    /** Defines $item (a function, memory, global or table of this linker's store) as $module.$name. */
    public function define(string $module, string $name, Func|Memory|Global_|Table $item): void
    {
        if ($item->store !== $this->store) {
            throw new Exception('the item belongs to another store');
        }
        match (true) {
            $item instanceof Func => \orca_linker_define_func_item($this->raw, $module, $name, $item->raw()),
            $item instanceof Memory => \orca_linker_define_memory($this->raw, $module, $name, $item->raw()),
            $item instanceof Global_ => \orca_linker_define_global($this->raw, $module, $name, $item->raw()),
            $item instanceof Table => \orca_linker_define_table($this->raw, $module, $name, $item->raw()),
        };
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

/** What exports are: functions, memories, globals and tables. */
abstract class Extern
{
    /** @internal the export $raw (a wasm_extern_t) of $store as its kind's class */
    public static function wrap(Store $store, ?object $raw): Func|Memory|Global_|Table|null
    {
        if ($raw === null) {
            return null;
        }
        return match (\wasm_extern_kind($raw)) {
            0 => new Func($store, \orca_extern_func($raw)),
            1 => new Global_($store, \orca_extern_global($raw)),
            2 => new Table($store, \orca_extern_table($raw)),
            3 => new Memory($store, \orca_extern_memory($raw)),
        };
    }

    /** The handle, null once its instance is closed; declared before $store to be released first. */
    private ?object $raw;
    public readonly Store $store;

    /** @internal made from exports and by the classes' new() */
    public function __construct(Store $store, object $raw)
    {
        $this->raw = $raw;
        $this->store = $store;
    }

    /** @internal the live handle; throws once the store or the instance is closed */
    public function raw(): object
    {
        $this->store->raw();
        return $this->raw ?? throw new Exception('the instance is closed');
    }

    /**
     * @internal drops the handle (Instance::close()); a call running with it keeps it until it
     * returns, since the call holds a reference to it
     */
    public function release(): void
    {
        $this->raw = null;
    }
}

final class Instance
{
    /** The wasm_instance_t handle, null once closed; declared before $store to be released first. */
    private ?object $raw;
    /** @var array<string, Func|Memory|Global_|Table> the exports handed out, by name, for close() */
    private array $exports = [];
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

    /** @internal the live handle; throws once the store or the instance is closed */
    public function raw(): object
    {
        $this->store->raw();
        return $this->raw ?? throw new Exception('the instance is closed');
    }

    /** The export $name as a Func, Memory, Global_ or Table; null when there is none. Each name gives one object. */
    public function export(string $name): Func|Memory|Global_|Table|null
    {
        $raw = $this->raw(); // a cached export answers only while the store and the instance are open
        return $this->exports[$name] ??= Extern::wrap($this->store, \orca_instance_export($raw, $name));
    }

    /**
     * Releases the instance and the exports taken from it through export(), func(), memory(), ...:
     * they throw Orca\Exception from then on, and the store frees the instance with its memories
     * and tables at its next collection (Store::collect()) unless something else keeps it (an
     * instance that imports what it defined, a linker that defines its exports, a table or global
     * holding one of its functions, a Func or Memory PHP got otherwise: from a call's result, a
     * table, a Caller). Dropping every PHP object of the instance does the same. A host function
     * may close its own instance: the call in progress keeps what it uses until it returns.
     * Safe twice.
     */
    public function close(): void
    {
        foreach ($this->exports as $export) {
            $export?->release();
        }
        $this->exports = [];
        $this->raw = null;
    }

    public function isClosed(): bool
    {
        return $this->raw === null;
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

    /** The exported global $name; Orca\Exception when there is none. */
    public function global(string $name): Global_
    {
        $export = $this->export($name);
        return $export instanceof Global_ ? $export : throw new Exception("no exported global \"$name\"");
    }

    /** The exported table $name; Orca\Exception when there is none. */
    public function table(string $name): Table
    {
        $export = $this->export($name);
        return $export instanceof Table ? $export : throw new Exception("no exported table \"$name\"");
    }
}

/**
 * What a host function that asks for it (an Orca\Caller first parameter) gets: the instance whose
 * code called it, to reach that instance's memory and functions. Valid during that call only;
 * afterwards it throws Orca\Exception.
 */
final class Caller
{
    /** The orca_caller_t handle (borrowed), null once the call returned; set to null by the extension. */
    private ?object $raw;
    public readonly Store $store;

    /** @internal made by the extension for each call */
    public function __construct(Store $store, object $raw)
    {
        $this->raw = $raw;
        $this->store = $store;
    }

    /** The calling instance's export $name; null when there is none, or no calling instance (the host called the function). */
    public function export(string $name): Func|Memory|Global_|Table|null
    {
        $raw = $this->raw ?? throw new Exception('the caller is only valid during the host function call');
        return Extern::wrap($this->store, \orca_caller_export($raw, $name));
    }

    /** The calling instance's exported memory $name; Orca\Exception when there is none. */
    public function memory(string $name = 'memory'): Memory
    {
        $export = $this->export($name);
        return $export instanceof Memory ? $export
            : throw new Exception("no exported memory \"$name\" in the calling instance (or no calling instance)");
    }

    /** The calling instance's exported function $name; Orca\Exception when there is none. */
    public function func(string $name): Func
    {
        $export = $this->export($name);
        return $export instanceof Func ? $export
            : throw new Exception("no exported function \"$name\" in the calling instance (or no calling instance)");
    }
}

final class Func extends Extern
{
    /** The parameter and result types, one wasm_valkind_t byte each, kept after the first call. */
    private ?string $params = null;
    private ?string $results = null;

    /**
     * A host function: the PHP callable $func with these parameter and result types. It gets the
     * arguments as PHP values (see Orca\Type) and returns null or anything for no results, the value
     * for one, a list of exactly that many for several. When its first parameter is declared
     * `Orca\Caller`, it gets the calling instance first. What it throws reaches the wasm caller as a
     * trap, and the PHP caller of the wasm function gets Orca\Trap (HOST_ERROR) with the thrown
     * exception as getPrevious(). The store keeps $func until it is closed or freed.
     * @param list<Type> $params
     * @param list<Type> $results
     */
    public static function new(Store $store, array $params, array $results, callable $func): self
    {
        $raw = \orca_php_func_new($store->raw(), $store, Type::pack($params), Type::pack($results), $func,
            self::takesCaller($func));
        return new self($store, $raw);
    }

    private static function takesCaller(callable $func): bool
    {
        $reflection = is_array($func) ? new \ReflectionMethod(...$func)
            : (is_string($func) && str_contains($func, '::') ? new \ReflectionMethod($func)
            : new \ReflectionFunction(\Closure::fromCallable($func)));
        $first = $reflection->getParameters()[0] ?? null;
        $type = $first?->getType();
        return $type instanceof \ReflectionNamedType && strcasecmp(ltrim($type->getName(), '\\'), Caller::class) === 0;
    }

    /**
     * Calls the function with PHP values (see Orca\Type). Returns null, the one result, or a list
     * of results. A trap throws Orca\Trap, a guest's exit Orca\Exit; a wrong argument count
     * ArgumentCountError and a value of another type TypeError, before the call runs.
     */
    public function call(mixed ...$args): mixed
    {
        $raw = $this->raw();
        $this->params ??= \orca_func_kinds($raw, false);
        $this->results ??= \orca_func_kinds($raw, true);
        return \orca_php_func_call($raw, $this->store->raw(), $this->store, $this->params, $this->results, $args);
    }

    public function __invoke(mixed ...$args): mixed
    {
        $raw = $this->raw();
        $this->params ??= \orca_func_kinds($raw, false);
        $this->results ??= \orca_func_kinds($raw, true);
        return \orca_php_func_call($raw, $this->store->raw(), $this->store, $this->params, $this->results, $args);
    }

    public function type(): FuncType
    {
        $raw = $this->raw();
        $this->params ??= \orca_func_kinds($raw, false);
        $this->results ??= \orca_func_kinds($raw, true);
        return new FuncType(Type::unpack($this->params), Type::unpack($this->results));
    }

    public function paramCount(): int
    {
        return \wasm_func_param_arity($this->raw());
    }

    public function resultCount(): int
    {
        return \wasm_func_result_arity($this->raw());
    }

    /** Whether $other is the same function (funcrefs give new Func objects for one function). */
    public function same(Func $other): bool
    {
        return \wasm_func_same($this->raw(), $other->raw());
    }
}

final class Memory extends Extern
{
    public const PAGE_SIZE = 65536;

    /** A memory of $min pages that may grow to $max pages (null: no maximum), to import into modules. */
    public static function new(Store $store, int $min, ?int $max = null): self
    {
        if ($min < 0 || $min > 65536 || ($max !== null && ($max < $min || $max > 65536))) {
            throw new \ValueError('memory limits are pages from 0 to 65536, the minimum not above the maximum');
        }
        $raw = \orca_memory_new($store->raw(), $min, $max ?? -1)
            ?? throw new Exception('the store refused the memory (a limit?)');
        return new self($store, $raw);
    }

    /** $length bytes at $offset; Orca\Exception when the range is not inside the memory. */
    public function read(int $offset, int $length): string
    {
        $raw = $this->raw();
        if ($offset < 0 || $length < 0 || !\orca_memory_in_bounds($raw, $offset, $length)) {
            throw new Exception("out of bounds memory access: $length bytes at $offset");
        }
        return \orca_memory_read($raw, $offset, $length);
    }

    /** Writes $bytes at $offset; Orca\Exception (nothing written) when they do not fit. */
    public function write(int $offset, string $bytes): void
    {
        $raw = $this->raw();
        if ($offset < 0 || !\orca_memory_write($raw, $offset, $bytes)) {
            throw new Exception('out of bounds memory access: ' . strlen($bytes) . " bytes at $offset");
        }
    }

    /** The size in pages of 64 KiB. */
    public function size(): int
    {
        return \wasm_memory_size($this->raw());
    }

    /** The size in bytes. */
    public function dataSize(): int
    {
        return \wasm_memory_data_size($this->raw());
    }

    /** Grows by $pages; returns the previous size in pages. Orca\Exception when it cannot grow. */
    public function grow(int $pages): int
    {
        $raw = $this->raw();
        $previous = \wasm_memory_size($raw);
        if ($pages < 0 || $pages > 0xFFFFFFFF || !\wasm_memory_grow($raw, $pages)) {
            throw new Exception("the memory cannot grow by $pages pages");
        }
        return $previous;
    }

    public function type(): MemoryType
    {
        $raw = $this->raw();
        $max = \orca_memory_limit($raw, true);
        return new MemoryType(\orca_memory_limit($raw, false), $max < 0 ? null : $max);
    }
}

/**
 * A global. Its name is Orca\Global: PHP source cannot declare a class named after the keyword
 * `global`, so it is declared Global_ and aliased (both names work; get_class() says Global_).
 */
final class Global_ extends Extern
{
    /** A global of type $type holding $value, to import into modules; const unless $mutable. */
    public static function new(Store $store, Type $type, bool $mutable, mixed $value): self
    {
        return new self($store, \orca_php_global_new($store->raw(), $store, $type->value, $mutable, $value));
    }

    public function get(): mixed
    {
        return \orca_php_global_get($this->raw(), $this->store->raw(), $this->store);
    }

    /** Sets the value; Orca\Exception for a const global, TypeError for a value of another type. */
    public function set(mixed $value): void
    {
        \orca_php_global_set($this->raw(), $this->store->raw(), $this->store, $value);
    }

    public function type(): GlobalType
    {
        $raw = $this->raw();
        return new GlobalType(Type::from(\orca_global_kind($raw)), \orca_global_mutable($raw));
    }
}

final class Table extends Extern
{
    /** A table of $min elements of type $element (FUNCREF or EXTERNREF) holding $init, up to $max. */
    public static function new(Store $store, Type $element, int $min, ?int $max = null, mixed $init = null): self
    {
        if ($min < 0 || $min > 0xFFFFFFFF || ($max !== null && ($max < $min || $max > 0xFFFFFFFF))) {
            throw new \ValueError('table limits are sizes from 0 to 2^32-1, the minimum not above the maximum');
        }
        return new self($store, \orca_php_table_new($store->raw(), $store, $element->value, $min, $max ?? -1, $init));
    }

    public function size(): int
    {
        return \wasm_table_size($this->raw());
    }

    /** The element at $index; Orca\Exception when it is out of bounds. */
    public function get(int $index): mixed
    {
        return \orca_php_table_get($this->raw(), $this->store->raw(), $this->store, $index);
    }

    /** Sets the element at $index; Orca\Exception out of bounds, TypeError for a value of another type. */
    public function set(int $index, mixed $value): void
    {
        \orca_php_table_set($this->raw(), $this->store->raw(), $this->store, $index, $value);
    }

    /** Grows by $delta elements holding $init; returns the previous size. Orca\Exception when it cannot. */
    public function grow(int $delta, mixed $init = null): int
    {
        $raw = $this->raw();
        $previous = \wasm_table_size($raw);
        \orca_php_table_grow($raw, $this->store->raw(), $this->store, $delta, $init);
        return $previous;
    }

    public function type(): TableType
    {
        $raw = $this->raw();
        $max = \orca_table_limit($raw, true);
        return new TableType(Type::from(\orca_table_elem_kind($raw)), \orca_table_limit($raw, false), $max < 0 ? null : $max);
    }
}

\class_alias(Global_::class, 'Orca\Global');
