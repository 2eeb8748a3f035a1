<?php
// The PHP runner of the shared conformance suite (tests/conformance, described in its README.md):
// every case runs through the Orca\ API the way the C reference runner runs it through the C API.
// It prints "ok NAME" / "FAIL NAME: reason" per case and "N passed, N failed" at the end.
//
//   php -d extension=orca tests/conformance/php/runner.php tests/conformance [FILTER]
//
// Where PHP differs from the vocabulary's reference languages, the runner says so below:
// - a host function's "error" throws RuntimeException and "panic" throws Error (PHP fails both
//   ways by exceptions); the caller gets Orca\Trap (HOST_ERROR) whose getPrevious() is that very
//   exception ("from_host", and "panic": the host's own exception reaches the caller);
// - "error" steps (a call refused before it runs) are PHP's TypeError (ArgumentCountError too);
// - "raw" calls use Func::__invoke, the other entry of the one call path;
// - "threads": PHP (NTS) has no threads; the stores run one after another, sharing the engine
//   and the module, which is what the step checks of the API;
// - "interrupt_after_ms" is the store's deadline (PHP has no cancellation of its own).

declare(strict_types=1);

use Orca\Type;

final class CaseFailure extends \Exception
{
}

function fail(string $why): never
{
    throw new CaseFailure($why);
}

/** The PHP value behind "externref:N": an object, so that identity is checked, not equality. */
final class Ext
{
    public function __construct(public readonly int $n)
    {
    }
}

final class Runner
{
    private Orca\Engine $engine;
    private Orca\Store $store;
    private Orca\Module $module;
    private Orca\Linker $linker;
    private ?Orca\Instance $instance = null;
    /** @var list<string> */
    private array $log = [];
    /** @var array<string, \Throwable> the exceptions host functions threw, by message */
    private array $hostErrors = [];

    public function __construct(private readonly string $suite, private readonly array $spec,
        private readonly array $imports)
    {
    }

    public function close(): void
    {
        if (isset($this->store)) {
            $this->store->close();
        }
    }

    private static function type(string $name): Type
    {
        return match ($name) {
            'i32' => Type::I32, 'i64' => Type::I64, 'f32' => Type::F32, 'f64' => Type::F64,
            'v128' => Type::V128, 'funcref' => Type::FUNCREF, 'externref' => Type::EXTERNREF,
            default => fail("unknown type $name"),
        };
    }

    /** @return list<Type> */
    private static function types(array $names): array
    {
        return array_map(self::type(...), $names);
    }

    /** The suite's notation as a PHP value. */
    private function value(string $text): mixed
    {
        [$kind, $rest] = explode(':', $text, 2) + [1 => null];
        $rest ?? fail("bad value $text");
        return match ($kind) {
            'i32', 'i64' => (int) $rest,
            'f32' => Orca\Val::f32FromBits(hexdec(substr($rest, 2))),
            'f64' => unpack('e', pack('P', self::hex64($rest)))[1],
            'v128' => strrev(hex2bin(str_pad(substr($rest, 2), 32, '0', STR_PAD_LEFT))),
            'funcref' => $rest === 'null' ? null : ($this->instance?->export($rest) ?? fail("no function export $rest")),
            'externref' => $rest === 'null' ? null : $this->ext((int) $rest),
            default => fail("bad value $text"),
        };
    }

    /** The suite's notation as an Orca\Val: the value with the type the notation names. */
    private function typedValue(string $text): Orca\Val
    {
        $type = strtok($text, ':');
        $value = $this->value($text);
        return match ($type) {
            'i32' => Orca\Val::i32($value), 'i64' => Orca\Val::i64($value), 'f32' => Orca\Val::f32($value),
            'f64' => Orca\Val::f64($value), 'v128' => Orca\Val::v128($value), 'funcref' => Orca\Val::funcref($value),
            default => Orca\Val::externref($value),
        };
    }

    /** @var array<int, Ext> one object per number, as the host hands out one reference per value */
    private array $exts = [];

    private function ext(int $n): Ext
    {
        return $this->exts[$n] ??= new Ext($n);
    }

    /** A 64-bit hex number as the PHP int with those bits (hexdec would give a float above 2^63). */
    private static function hex64(string $hex): int
    {
        $hex = str_pad(substr($hex, 2), 16, '0', STR_PAD_LEFT);
        return (hexdec(substr($hex, 0, 8)) << 32) | hexdec(substr($hex, 8));
    }

    /** A PHP value of the kind as the suite writes it (funcrefs: null or nonnull). */
    private static function format(string $kind, mixed $value): string
    {
        return match (true) {
            $kind === 'i32' && is_int($value) => "i32:$value",
            $kind === 'i64' && is_int($value) => "i64:$value",
            $kind === 'f32' && is_float($value) => sprintf('f32:0x%08x', Orca\Val::f32Bits($value)),
            $kind === 'f64' && is_float($value) => sprintf('f64:0x%016x', unpack('P', pack('e', $value))[1]),
            $kind === 'v128' && is_string($value) && strlen($value) === 16 => 'v128:0x' . bin2hex(strrev($value)),
            $value === null => "$kind:null",
            $value instanceof Orca\Func => 'funcref:nonnull',
            $value instanceof Ext => "externref:$value->n",
            default => "$kind:" . get_debug_type($value) . '(' . var_export($value, true) . ')',
        };
    }

    private function check(string $what, string $want, mixed $got): void
    {
        [$kind, $rest] = explode(':', $want, 2);
        if ($kind === 'funcref') {
            if ($got !== null && !$got instanceof Orca\Func) {
                fail("$what: expected $want, got " . get_debug_type($got));
            }
            $ok = match ($rest) {
                'null' => $got === null,
                'nonnull' => $got !== null,
                default => $got !== null && $got->same($this->instance->func($rest)),
            };
            $ok || fail("$what: expected $want, got " . ($got === null ? 'null' : 'another function'));
            return;
        }
        if ($kind === 'externref' && $rest !== 'null' && $got !== $this->ext((int) $rest)) {
            fail("$what: expected $want (the same object), got " . self::format($kind, $got));
        }
        $formatted = self::format($kind, $got);
        $expected = self::format($kind, $this->value($want));
        $formatted === $expected || fail("$what: expected $want, got $formatted");
    }

    // ---- host functions ----------------------------------------------------------------------

    /** A PHP host function from the behaviour vocabulary; with $caller it takes an Orca\Caller. */
    private function host(string $name, array $params, array $results, array $actions, bool $caller): Closure
    {
        if ($caller) {
            return function (Orca\Caller $caller, mixed ...$args) use ($name, $params, $results, $actions) {
                return $this->runHost($name, $params, $results, $actions, $caller, $args);
            };
        }
        return fn(mixed ...$args) => $this->runHost($name, $params, $results, $actions, null, $args);
    }

    /** Runs a host function's actions over its arguments; returns its result(s) as PHP wants them. */
    private function runHost(string $name, array $params, array $results, array $actions, ?Orca\Caller $caller,
        array $args): mixed
    {
        $out = [];
        foreach ($actions as $action) {
            switch ($action['op']) {
                case 'record':
                    $this->log[] = $name . '(' . implode(', ', array_map(self::format(...), $params, $args)) . ')';
                    break;
                case 'return':
                    $out = array_map($this->value(...), $action['values']);
                    break;
                case 'echo':
                    $out = $args;
                    break;
                case 'add':
                    $all = isset($action['value']) ? [$this->value($action['value']), ...$args] : $args;
                    $sum = in_array($results[0], ['f32', 'f64'], true) ? 0.0 : 0;
                    foreach ($all as $v) {
                        $sum = $results[0] === 'i32' ? self::wrap32($sum + $v) : ($results[0] === 'i64' ? self::add64($sum, $v) : $sum + $v);
                    }
                    $out = [$sum];
                    break;
                case 'error':
                    throw $this->hostErrors[$action['message']] ??= new RuntimeException($action['message']);
                case 'panic':
                    throw $this->hostErrors[$action['message']] ??= new Error($action['message']);
                case 'call':
                    $func = $caller ? $caller->export($action['func']) : $this->instance?->export($action['func']);
                    $func instanceof Orca\Func || throw new RuntimeException('host: no calling instance');
                    $result = $func(...$args);
                    $out = count($func->type()->results) === 1 ? [$result] : ($result ?? []);
                    break;
                case 'read':
                case 'write':
                    $memory = $caller ? $caller->export($action['memory']) : $this->instance?->export($action['memory']);
                    $memory instanceof Orca\Memory || throw new RuntimeException('host: no calling instance');
                    $ptr = $args[$action['ptr']] & 0xffffffff;
                    if ($action['op'] === 'read') {
                        $this->log[] = 'read:' . $memory->read($ptr, $args[$action['len']] & 0xffffffff);
                    } else {
                        $memory->write($ptr, hex2bin($action['hex']));
                    }
                    break;
                default:
                    throw new RuntimeException("unknown host action {$action['op']}");
            }
        }
        return match (count($results)) {
            0 => null,
            1 => $out[0] ?? null,
            default => $out,
        };
    }

    private static function wrap32(int $v): int
    {
        $v &= 0xffffffff;
        return $v >= 0x80000000 ? $v - 0x100000000 : $v;
    }

    /** i64 addition that wraps like wasm's (PHP turns an overflowing int sum into a float). */
    private static function add64(int $a, int $b): int
    {
        $low = ($a & 0xffffffff) + ($b & 0xffffffff);
        $high = (($a >> 32) + ($b >> 32) + ($low >> 32)) & 0xffffffff;
        return ($high << 32) | ($low & 0xffffffff);
    }

    // ---- setting up a case -------------------------------------------------------------------

    private function moduleBytes(?string $module, ?string $wat, ?string $wasmHex): string
    {
        if ($wasmHex !== null) {
            return hex2bin($wasmHex);
        }
        $text = $wat;
        if ($text === null || !str_contains($text, '(')) {
            $file = "$this->suite/modules/" . ($module ?? $wat);
            $text = @file_get_contents($file);
            $text !== false || fail("cannot read $file");
        }
        try {
            return Orca\Module::wat2wasm($text);
        } catch (Orca\Exception $e) {
            fail('wat2wasm: ' . $e->getMessage());
        }
    }

    private function defineImports(array $list): void
    {
        foreach ($list as $import) {
            $module = $import['module'];
            switch ($import['kind']) {
                case 'instance':
                    $instance = $this->linker->instantiate(Orca\Module::fromBinary($this->engine,
                        $this->moduleBytes(null, $import['wat'], null)));
                    $this->linker->defineInstance($module, $instance);
                    break;
                case 'func':
                    $this->linker->defineFunc($module, $import['name'], self::types($import['params']),
                        self::types($import['results']),
                        $this->host("$module.{$import['name']}", $import['params'], $import['results'], $import['do'],
                            $import['caller'] ?? false));
                    break;
                case 'global':
                    $this->linker->define($module, $import['name'], Orca\Global::new($this->store,
                        self::type($import['type']), $import['mutable'] ?? false, $this->value($import['value'])));
                    break;
                case 'memory':
                    $this->linker->define($module, $import['name'],
                        Orca\Memory::new($this->store, $import['min'], $import['max'] ?? null));
                    break;
                case 'table':
                    $this->linker->define($module, $import['name'], Orca\Table::new($this->store,
                        self::type($import['elem']), $import['min'], $import['max'] ?? null));
                    break;
                default:
                    fail("unknown import kind {$import['kind']}");
            }
        }
    }

    private function defineWasi(array $wasi): void
    {
        $env = [];
        foreach ($wasi['env'] ?? [] as [$name, $value]) {
            $env[$name] = $value;
        }
        $preopens = [];
        foreach ($wasi['preopens'] ?? [] as $preopen) {
            $preopens[$preopen['guest']] = "$this->suite/{$preopen['host']}";
        }
        $this->linker->defineWasi($wasi['args'] ?? [], $env, $preopens, $wasi['stdin'] ?? null);
    }

    private static function expectError(\Throwable $e, array $want, string $what): void
    {
        $e instanceof Orca\Exception || fail("expected $what error, got " . get_class($e) . ': ' . $e->getMessage());
        $e->getKind() === $want['kind'] || fail("error kind {$e->getKind()} ({$e->getMessage()}), expected {$want['kind']}");
        str_contains($e->getMessage(), $want['message'] ?? '') || fail("error message: {$e->getMessage()}");
    }

    private const TRAP_CODES = ['unreachable' => Orca\Trap::UNREACHABLE,
        'memory_out_of_bounds' => Orca\Trap::MEMORY_OUT_OF_BOUNDS, 'table_out_of_bounds' => Orca\Trap::TABLE_OUT_OF_BOUNDS,
        'undefined_element' => Orca\Trap::UNDEFINED_ELEMENT, 'uninitialized_element' => Orca\Trap::UNINITIALIZED_ELEMENT,
        'indirect_call_type_mismatch' => Orca\Trap::INDIRECT_CALL_TYPE_MISMATCH,
        'integer_divide_by_zero' => Orca\Trap::INTEGER_DIVIDE_BY_ZERO, 'integer_overflow' => Orca\Trap::INTEGER_OVERFLOW,
        'invalid_conversion' => Orca\Trap::INVALID_CONVERSION, 'stack_exhausted' => Orca\Trap::STACK_EXHAUSTED,
        'out_of_fuel' => Orca\Trap::OUT_OF_FUEL, 'interrupted' => Orca\Trap::INTERRUPTED,
        'host_error' => Orca\Trap::HOST_ERROR];

    public function run(): void
    {
        $spec = $this->spec;
        $config = $spec['config'] ?? [];
        try {
            $this->engine = new Orca\Engine(consumeFuel: $config['consume_fuel'] ?? false,
                interruptible: $config['interruptible'] ?? false, cache: false,
                boundsChecks: $config['bounds_checks'] ?? false, optLevel: $config['opt_level'] ?? 2,
                features: $config['features'] ?? []);
        } catch (Orca\Exception $e) {
            isset($spec['config_error']) || fail('configuration: ' . $e->getMessage());
            self::expectError($e, $spec['config_error'], 'a configuration');
            return;
        }
        isset($spec['config_error']) && fail('expected a configuration error');
        $this->store = new Orca\Store($this->engine);
        if (isset($spec['fuel'])) {
            $this->store->setFuel($spec['fuel']);
        }
        if (isset($spec['limits'])) {
            $limits = $spec['limits'];
            $this->store->setLimits($limits['memory_bytes'] ?? null, $limits['table_elements'] ?? null,
                $limits['instances'] ?? null, $limits['tables'] ?? null, $limits['memories'] ?? null);
        }
        try {
            $this->module = Orca\Module::fromBinary($this->engine,
                $this->moduleBytes($spec['module'] ?? null, $spec['wat'] ?? null, $spec['wasm_hex'] ?? null));
        } catch (Orca\Exception $e) {
            isset($spec['compile_error']) || fail('compile: ' . $e->getMessage());
            self::expectError($e, $spec['compile_error'], 'a compile');
            return;
        }
        isset($spec['compile_error']) && fail('expected a compile error');
        $this->linker = new Orca\Linker($this->store);
        if (isset($spec['imports'])) {
            $this->defineImports(is_string($spec['imports']) ? $this->imports[$spec['imports']] : $spec['imports']);
        }
        if (isset($spec['wasi'])) {
            $this->defineWasi($spec['wasi']);
        }
        try {
            $this->instance = $this->linker->instantiate($this->module);
        } catch (Orca\Exception $e) {
            $want = $spec['instantiate_error'] ?? fail('instantiate: ' . $e->getMessage());
            self::expectError($e, $want, 'an instantiation');
            if (isset($want['code'])) {
                $e instanceof Orca\Trap || fail('no trap behind ' . $e->getMessage());
                $e->getCode() === self::TRAP_CODES[$want['code']] || fail("trap code {$e->getCode()}");
            }
            return;
        }
        isset($spec['instantiate_error']) && fail('expected an instantiation error');
        foreach ($spec['steps'] ?? [] as $step) {
            try {
                $this->step($step);
            } catch (CaseFailure $f) {
                fail($step['op'] . ' ' . ($step['func'] ?? $step['export'] ?? '') . ': ' . $f->getMessage());
            }
        }
    }

    // ---- steps --------------------------------------------------------------------------------

    private function callOnce(Orca\Func $func, array $step): void
    {
        $args = array_map($this->value(...), $step['args'] ?? []);
        $failure = null;
        $results = null;
        try {
            if (isset($step['interrupt_after_ms'])) {
                $this->store->setDeadline($step['interrupt_after_ms'] / 1000);
            }
            $result = ($step['raw'] ?? false) ? $func(...$args) : $func->call(...$args);
            $results = count($func->type()->results) === 1 ? [$result] : ($result ?? []);
        } catch (CaseFailure $f) {
            throw $f;
        } catch (\Throwable $e) {
            $failure = $e;
        } finally {
            if (isset($step['interrupt_after_ms'])) {
                $this->store->setDeadline(0);
            }
        }
        if (!array_key_exists('expect', $step)) {
            $this->checkFailure($step, $failure);
            return;
        }
        $failure === null || fail('unexpected failure: ' . get_class($failure) . ': ' . $failure->getMessage());
        count($results) === count($step['expect']) || fail('result count ' . count($results) . ', expected ' . count($step['expect']));
        foreach ($step['expect'] as $i => $want) {
            $this->check("result $i", $want, $results[$i]);
        }
    }

    private function checkFailure(array $step, ?\Throwable $e): void
    {
        $e !== null || fail('expected a failure, call returned');
        if (isset($step['exit'])) {
            $e instanceof Orca\Exit || fail('expected exit, got ' . get_class($e) . ': ' . $e->getMessage());
            $e->getStatus() === $step['exit'] || fail("exit status {$e->getStatus()}");
            return;
        }
        if (isset($step['error'])) {
            $e instanceof TypeError || fail('expected a TypeError before the call, got ' . get_class($e) . ': ' . $e->getMessage());
            return;
        }
        $trap = $step['trap'];
        $e instanceof Orca\Trap || fail('not a trap: ' . get_class($e) . ': ' . $e->getMessage());
        str_contains($e->getMessage(), $trap['message'] ?? '') || fail("trap message: {$e->getMessage()}");
        if (isset($trap['code'])) {
            $e->getCode() === self::TRAP_CODES[$trap['code']] || fail("trap code {$e->getCode()} ({$e->getMessage()})");
        }
        if (($trap['from_host'] ?? false) || ($trap['panic'] ?? false)) {
            $thrown = $this->hostErrors[$trap['message']] ?? fail('the host threw nothing');
            $e->getPrevious() === $thrown || fail('getPrevious() is not the exception the host threw');
        }
        $frames = $e->getFrames();
        if (isset($trap['trace'])) {
            $trace = array_map(fn(Orca\Frame $f) => $f->funcIndex, $frames);
            $trace === $trap['trace'] || fail('trace ' . json_encode($trace) . ', expected ' . json_encode($trap['trace']));
        }
        if (isset($trap['module_offsets'])) {
            $offsets = array_map(fn(Orca\Frame $f) => $f->moduleOffset, $frames);
            $offsets === $trap['module_offsets']
                || fail('module offsets ' . json_encode($offsets) . ', expected ' . json_encode($trap['module_offsets']));
        }
    }

    private function call(array $step): void
    {
        $func = $this->instance->export($step['func']);
        $func instanceof Orca\Func || fail("no function export {$step['func']}");
        for ($i = 0; $i < max($step['repeat'] ?? 1, 1); ++$i) {
            $this->callOnce($func, $step);
        }
    }

    private static function same(string $what, mixed $got, mixed $want): void
    {
        $got === $want || fail("$what: got " . json_encode($got) . ', expected ' . json_encode($want));
    }

    /** Whether $action (a request that may be refused) succeeded. */
    private static function allowed(callable $action): bool
    {
        try {
            $action();
            return true;
        } catch (Orca\Exception | TypeError | ValueError) {
            return false;
        }
    }

    private function step(array $step): void
    {
        $ok = $step['ok'] ?? true;
        switch ($step['op']) {
            case 'call':
                $this->call($step);
                break;
            case 'host.call':
                $func = Orca\Func::new($this->store, self::types($step['params']), self::types($step['results']),
                    $this->host('host', $step['params'], $step['results'], $step['do'], $step['caller'] ?? false));
                $this->callOnce($func, $step);
                break;
            case 'log':
                [$got, $this->log] = [$this->log, []];
                self::same('log', $got, $step['expect']);
                break;
            case 'exports':
                self::same('exports', array_map(fn($e) => [$e->name, $e->kind->value], $this->module->exports()), $step['expect']);
                break;
            case 'imports':
                self::same('imports', array_map(fn($i) => [$i->module, $i->name, $i->kind->value], $this->module->imports()),
                    $step['expect']);
                break;
            case 'func.type':
                $type = $this->instance->func($step['func'])->type();
                $names = fn(array $types) => array_map(fn(Type $t) => $t->wasmName(), $types);
                self::same('params', $names($type->params), $step['params']);
                self::same('results', $names($type->results), $step['results']);
                break;
            case 'memory.read':
            case 'memory.write':
            case 'memory.size':
            case 'memory.data_size':
            case 'memory.grow':
            case 'memory.type':
                $memory = $this->instance->export($step['export']);
                $memory instanceof Orca\Memory || fail("no memory export {$step['export']}");
                match ($step['op']) {
                    'memory.read' => (function () use ($memory, $step, $ok) {
                        $bytes = null;
                        self::same('read allowed', self::allowed(function () use ($memory, $step, &$bytes) {
                            $bytes = $memory->read($step['offset'], $step['length'] ?? intdiv(strlen($step['hex']), 2));
                        }), $ok);
                        if ($bytes !== null) {
                            self::same('bytes', bin2hex($bytes), $step['hex']);
                        }
                    })(),
                    'memory.write' => self::same('write allowed',
                        self::allowed(fn() => $memory->write($step['offset'], hex2bin($step['hex']))), $ok),
                    'memory.size' => self::same('pages', $memory->size(), $step['pages']),
                    'memory.data_size' => self::same('bytes', $memory->dataSize(), $step['bytes']),
                    'memory.grow' => self::same('grow', self::allowed(fn() => $memory->grow($step['delta'])), $ok),
                    'memory.type' => self::same('type', [$memory->type()->min, $memory->type()->max],
                        [$step['min'], $step['max'] ?? null]),
                };
                break;
            case 'global.get':
            case 'global.set':
            case 'global.type':
                $global = $this->instance->export($step['export']);
                $global instanceof Orca\Global || fail("no global export {$step['export']}");
                if ($step['op'] === 'global.type') {
                    self::same('type', [$global->type()->content->wasmName(), $global->type()->mutable],
                        [$step['type'], $step['mutable'] ?? false]);
                } elseif ($step['op'] === 'global.get') {
                    $this->check('global', $step['expect'], $global->get());
                } else {
                    // Typed (Orca\Val): a PHP int alone does not say whether "i64:1" is meant.
                    $value = $this->typedValue($step['value']);
                    self::same('set allowed', self::allowed(fn() => $global->set($value)), $ok);
                }
                break;
            case 'table.size':
            case 'table.get':
            case 'table.set':
            case 'table.grow':
            case 'table.type':
                $table = $this->instance->export($step['export']);
                $table instanceof Orca\Table || fail("no table export {$step['export']}");
                switch ($step['op']) {
                    case 'table.type':
                        $type = $table->type();
                        self::same('type', [$type->element->wasmName(), $type->min, $type->max],
                            [$step['elem'], $step['min'], $step['max'] ?? null]);
                        break;
                    case 'table.size':
                        self::same('size', $table->size(), $step['size']);
                        break;
                    case 'table.get':
                        $element = null;
                        self::same('get allowed', self::allowed(function () use ($table, $step, &$element) {
                            $element = $table->get($step['index']);
                        }), $ok);
                        if ($ok) {
                            $this->check('element', $step['expect'], $element);
                        }
                        break;
                    case 'table.set':
                        $value = $this->value($step['value']);
                        self::same('set allowed', self::allowed(fn() => $table->set($step['index'], $value)), $ok);
                        break;
                    case 'table.grow':
                        $init = $this->value($step['init']);
                        self::same('grow allowed', self::allowed(fn() => $table->grow($step['delta'], $init)), $ok);
                        break;
                }
                break;
            case 'serialize':
                $this->module = Orca\Module::deserialize($this->engine, $this->module->serialize());
                $this->instance = $this->linker->instantiate($this->module);
                break;
            case 'deserialize':
                try {
                    Orca\Module::deserialize($this->engine, hex2bin($step['hex'] ?? ''));
                    self::same('deserialize', true, $ok);
                } catch (Orca\Exception $e) {
                    self::same('deserialize', false, $ok);
                    if (isset($step['kind'])) {
                        self::same('error kind', $e->getKind(), $step['kind']);
                    }
                }
                break;
            case 'deadline':
                self::same('deadline', self::allowed(fn() => $this->store->setDeadline($step['ms'] / 1000)), $ok);
                break;
            case 'instances':
                for ($i = 0; $i < $step['count']; ++$i) {
                    try {
                        $instance = $this->linker->instantiate($this->module);
                    } catch (Orca\Exception $e) {
                        $ok && fail('instance: ' . $e->getMessage());
                        continue;
                    }
                    $ok || fail('instantiation past the limit succeeded');
                    if (isset($step['func'])) {
                        $saved = $this->instance;
                        $this->instance = $instance;
                        try {
                            $this->call($step);
                        } finally {
                            $this->instance = $saved;
                        }
                    }
                }
                break;
            case 'threads':
                // PHP has no threads: each "thread" is a store of its own, one after another.
                for ($t = 0; $t < $step['count']; ++$t) {
                    $local = new self($this->suite, $this->spec, $this->imports);
                    $local->engine = $this->engine;
                    $local->store = new Orca\Store($this->engine);
                    $local->module = $this->module;
                    $local->linker = new Orca\Linker($local->store);
                    $local->instance = $local->linker->instantiate($this->module);
                    try {
                        for ($i = 0; $i < $step['iterations']; ++$i) {
                            $local->call(['op' => 'call'] + $step);
                        }
                    } finally {
                        $local->close();
                    }
                }
                break;
            case 'fuel.get':
                $fuel = $this->store->getFuel();
                ($fuel < $step['below'] && $fuel > $step['above']) || fail("fuel $fuel");
                break;
            case 'fuel.set':
                self::same('fuel.set', self::allowed(fn() => $this->store->setFuel($step['value'])), $ok);
                break;
            case 'interrupt':
                self::same('interrupt', self::allowed(fn() => $this->store->interrupt()), $ok);
                break;
            case 'stdout':
                self::same('stdout', $this->linker->stdout(), $step['expect']);
                break;
            case 'stderr':
                self::same('stderr', $this->linker->stderr(), $step['expect']);
                break;
            default:
                fail("unknown step {$step['op']}");
        }
    }
}

$suite = $argv[1] ?? dirname(__DIR__);
$filter = $argv[2] ?? '';
$files = glob("$suite/cases/*.json");
if (!$files) {
    fwrite(STDERR, "no cases in $suite\n");
    echo "0 passed, 1 failed\n";
    exit(1);
}
sort($files);
$imports = json_decode(file_get_contents("$suite/imports.json"), true, 512, JSON_THROW_ON_ERROR);
$passed = $failed = 0;
foreach ($files as $file) {
    foreach (json_decode(file_get_contents($file), true, 512, JSON_THROW_ON_ERROR)['cases'] as $spec) {
        if ($filter !== '' && !str_contains($spec['name'], $filter)) {
            continue;
        }
        $runner = new Runner($suite, $spec, $imports);
        $why = null;
        try {
            $runner->run();
        } catch (CaseFailure $f) {
            $why = $f->getMessage();
        } catch (\Throwable $e) {
            $why = get_class($e) . ': ' . $e->getMessage();
        } finally {
            $runner->close();
        }
        if ($why === null) {
            ++$passed;
            echo "ok {$spec['name']}\n";
        } else {
            ++$failed;
            echo "FAIL {$spec['name']}: $why\n";
        }
    }
}
echo "$passed passed, $failed failed\n";
exit($failed === 0 && $passed > 0 ? 0 : 1);
