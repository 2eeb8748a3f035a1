package io.orca.conformance;

import static io.orca.conformance.ConformanceRunner.fail;
import static io.orca.conformance.ConformanceRunner.format;
import static io.orca.conformance.ConformanceRunner.hex;
import static io.orca.conformance.ConformanceRunner.list;
import static io.orca.conformance.ConformanceRunner.lower;
import static io.orca.conformance.ConformanceRunner.map;
import static io.orca.conformance.ConformanceRunner.number;
import static io.orca.conformance.ConformanceRunner.type;
import static io.orca.conformance.ConformanceRunner.types;

import io.orca.Caller;
import io.orca.Engine;
import io.orca.ExitException;
import io.orca.Func;
import io.orca.Global;
import io.orca.Instance;
import io.orca.Linker;
import io.orca.Memory;
import io.orca.Module;
import io.orca.OrcaException;
import io.orca.Store;
import io.orca.Table;
import io.orca.TrapException;
import io.orca.ValType;
import io.orca.WasiConfig;
import io.orca.conformance.ConformanceRunner.CaseFailure;
import io.orca.conformance.ConformanceRunner.Ext;
import io.orca.conformance.ConformanceRunner.HostError;
import io.orca.conformance.ConformanceRunner.HostPanic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/** One case of the suite, run through the io.orca API (ConformanceRunner says how Java maps it). */
final class ConformanceCase {
    private final Path suite;
    private final Map<String, Object> spec;
    private final Map<String, Object> imports;
    private Engine engine;
    private Store store;
    private Module module;
    private Linker linker;
    private Instance instance;
    private final List<String> log = new ArrayList<>();
    /* The exceptions host functions threw, by message, so that a trap's cause can be compared. */
    private final Map<String, Throwable> hostErrors = new HashMap<>();
    /* One object per number, as a host hands out one reference per value. */
    private final Map<Integer, Ext> exts = new HashMap<>();

    ConformanceCase(Path suite, Map<String, Object> spec, Map<String, Object> imports) {
        this.suite = suite;
        this.spec = spec;
        this.imports = imports;
    }

    void close() {
        if (store != null) {
            store.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    // ---- values ---------------------------------------------------------------------------------

    /** The suite's notation as a Java value. */
    private Object value(Object notation) {
        String text = (String) notation;
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw fail("bad value " + text);
        }
        String kind = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        if (kind.equals("funcref")) {
            if (rest.equals("null")) {
                return null;
            }
            Func func = instance == null ? null : instance.func(rest);
            return func != null ? func : fail("no function export " + rest);
        }
        if (kind.equals("externref")) {
            return rest.equals("null") ? null : ext(Integer.parseInt(rest));
        }
        return number(kind, rest);
    }

    private Ext ext(int n) {
        return exts.computeIfAbsent(n, Ext::new);
    }

    private void check(String what, Object wanted, Object got) {
        String want = (String) wanted;
        String kind = want.substring(0, want.indexOf(':'));
        String rest = want.substring(want.indexOf(':') + 1);
        if (kind.equals("funcref")) {
            if (got != null && !(got instanceof Func)) {
                fail(what + ": expected " + want + ", got " + got.getClass().getSimpleName());
            }
            boolean ok = switch (rest) {
                case "null" -> got == null;
                case "nonnull" -> got != null;
                default -> got != null && ((Func) got).same(instance.func(rest));
            };
            if (!ok) {
                fail(what + ": expected " + want + ", got " + (got == null ? "null" : "another function"));
            }
            return;
        }
        if (kind.equals("externref") && !rest.equals("null") && got != ext(Integer.parseInt(rest))) {
            fail(what + ": expected " + want + " (the same object), got " + format(kind, got));
        }
        String formatted = format(kind, got);
        String expected = format(kind, value(want));
        if (!formatted.equals(expected)) {
            fail(what + ": expected " + want + ", got " + formatted);
        }
    }

    private static void same(String what, Object got, Object want) {
        if (!Objects.equals(got, want)) {
            fail(what + ": got " + got + ", expected " + want);
        }
    }

    /** Whether `action` (a request that may be refused) succeeded. */
    private static boolean allowed(Runnable action) {
        try {
            action.run();
            return true;
        } catch (OrcaException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    // ---- host functions -------------------------------------------------------------------------

    private Func hostFunc(Store owner, String name, Map<String, Object> spec) {
        List<String> params = list(spec.get("params")).stream().map(String.class::cast).toList();
        List<String> results = list(spec.get("results")).stream().map(String.class::cast).toList();
        List<Object> actions = list(spec.get("do"));
        boolean withCaller = Boolean.TRUE.equals(spec.get("caller"));
        return Func.host(owner, types(params), types(results),
                (caller, args) -> runHost(name, params, results, actions, withCaller ? caller : null, args));
    }

    /** Runs a host function's actions over its arguments; returns its result(s) as HostFunction wants. */
    private Object runHost(String name, List<String> params, List<String> results, List<Object> actions,
            Caller caller, Object[] args) throws Exception {
        Object[] out = new Object[0];
        for (Object item : actions) {
            Map<String, Object> action = map(item);
            switch ((String) action.get("op")) {
                case "record" -> {
                    List<String> values = new ArrayList<>();
                    for (int i = 0; i < args.length; ++i) {
                        values.add(format(params.get(i), args[i]));
                    }
                    log.add(name + "(" + String.join(", ", values) + ")");
                }
                case "return" -> out = list(action.get("values")).stream().map(this::value).toArray();
                case "echo" -> out = args.clone();
                case "add" -> out = new Object[] {sum(results.get(0), action.get("value"), args)};
                case "error" -> {
                    String message = (String) action.get("message");
                    throw (HostError) hostErrors.computeIfAbsent(message, HostError::new);
                }
                case "panic" -> {
                    String message = (String) action.get("message");
                    throw (HostPanic) hostErrors.computeIfAbsent(message, HostPanic::new);
                }
                case "call" -> {
                    String export = (String) action.get("func");
                    Func func = caller != null ? caller.func(export) : instance == null ? null : instance.func(export);
                    if (func == null) {
                        throw new IllegalStateException("host: no calling instance");
                    }
                    out = func.call(args); // a trap passes on as the exception it is
                }
                case "read", "write" -> {
                    String export = (String) action.get("memory");
                    Memory memory = caller != null ? caller.memory(export)
                            : instance == null ? null : instance.memory(export);
                    if (memory == null) {
                        throw new IllegalStateException("host: no calling instance");
                    }
                    long ptr = ((Integer) args[(int) number(action.get("ptr"))]) & 0xffffffffL;
                    if (action.get("op").equals("read")) {
                        int length = (Integer) args[(int) number(action.get("len"))];
                        log.add("read:" + new String(memory.read(ptr, length), StandardCharsets.UTF_8));
                    } else {
                        memory.write(ptr, hex(action.get("hex")));
                    }
                }
                default -> throw new IllegalStateException("unknown host action " + action.get("op"));
            }
        }
        return switch (results.size()) {
            case 0 -> null;
            case 1 -> out.length > 0 ? out[0] : null;
            default -> out;
        };
    }

    /** The sum of the arguments (and `start`) in the result's type, wrapping as wasm does. */
    private Object sum(String kind, Object start, Object[] args) {
        BinaryOperator<Object> add = switch (kind) {
            case "i32" -> (x, y) -> (Integer) x + (Integer) y;
            case "i64" -> (x, y) -> (Long) x + (Long) y;
            case "f32" -> (x, y) -> (Float) x + (Float) y;
            case "f64" -> (x, y) -> (Double) x + (Double) y;
            default -> throw new IllegalArgumentException("add: not a number type");
        };
        Object total = start != null ? value(start) : number(kind, kind.startsWith("f") ? "0x0" : "0");
        for (Object arg : args) {
            total = add.apply(total, arg);
        }
        return total;
    }

    // ---- setting up a case ----------------------------------------------------------------------

    private byte[] moduleBytes(Object moduleFile, Object wat, Object wasmHex) {
        if (wasmHex != null) {
            return hex(wasmHex);
        }
        String text = (String) wat;
        if (text == null || !text.contains("(")) {
            Path file = suite.resolve("modules").resolve((String) (moduleFile != null ? moduleFile : wat));
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw fail("cannot read " + file);
            }
        }
        try {
            return Module.wat2wasm(text);
        } catch (OrcaException e) {
            throw fail("wat2wasm: " + e.getMessage());
        }
    }

    private void defineImports(List<Object> list) {
        for (Object item : list) {
            Map<String, Object> spec = map(item);
            String moduleName = (String) spec.get("module");
            String name = (String) spec.get("name");
            switch ((String) spec.get("kind")) {
                case "instance" -> linker.defineInstance(moduleName,
                        linker.instantiate(Module.fromBinary(engine, moduleBytes(null, spec.get("wat"), null))));
                case "func" -> linker.define(moduleName, name, hostFunc(store, moduleName + "." + name, spec));
                case "global" -> linker.define(moduleName, name, Global.create(store, type(spec.get("type")),
                        Boolean.TRUE.equals(spec.get("mutable")), value(spec.get("value"))));
                case "memory" -> linker.define(moduleName, name, Memory.create(store, (int) number(spec.get("min")),
                        spec.containsKey("max") ? (int) number(spec.get("max")) : -1));
                case "table" -> linker.define(moduleName, name, Table.create(store, type(spec.get("elem")),
                        (int) number(spec.get("min")), spec.containsKey("max") ? (int) number(spec.get("max")) : -1));
                default -> fail("unknown import kind " + spec.get("kind"));
            }
        }
    }

    private void defineWasi(Map<String, Object> wasi) {
        WasiConfig config = new WasiConfig();
        config.args(list(wasi.get("args")).stream().map(String.class::cast).toArray(String[]::new));
        for (Object pair : list(wasi.get("env"))) {
            config.env((String) list(pair).get(0), (String) list(pair).get(1));
        }
        for (Object item : list(wasi.get("preopens"))) {
            Map<String, Object> preopen = map(item);
            config.preopen(suite.resolve((String) preopen.get("host")).toString(), (String) preopen.get("guest"));
        }
        if (wasi.get("stdin") != null) {
            config.stdin(((String) wasi.get("stdin")).getBytes(StandardCharsets.UTF_8));
        }
        linker.defineWasi(config);
    }

    private static void expectError(OrcaException e, Object wanted, String what) {
        if (wanted == null) {
            fail(what + " failed: " + e.getMessage());
        }
        Map<String, Object> want = map(wanted);
        same("error kind (" + e.getMessage() + ")", lower(e.kind()), want.get("kind"));
        String message = (String) want.getOrDefault("message", "");
        if (!e.getMessage().contains(message)) {
            fail("error message: " + e.getMessage());
        }
    }

    private Engine.Config config(Map<String, Object> config) {
        Engine.Config result = new Engine.Config()
                .consumeFuel(Boolean.TRUE.equals(config.get("consume_fuel")))
                .interruptible(Boolean.TRUE.equals(config.get("interruptible")))
                .cache(false)
                .boundsChecks(Boolean.TRUE.equals(config.get("bounds_checks")))
                .optLevel(config.containsKey("opt_level") ? (int) number(config.get("opt_level")) : 2);
        Map<String, Object> features = config.containsKey("features") ? map(config.get("features")) : Map.of();
        for (Map.Entry<String, Object> feature : features.entrySet()) {
            result.feature(Engine.Feature.valueOf(feature.getKey().toUpperCase(java.util.Locale.ROOT)),
                    Boolean.TRUE.equals(feature.getValue()));
        }
        return result;
    }

    /**
     * What `make` makes, or null when it failed with the error that the spec's `key` expects;
     * the case fails when the outcome is not the expected one.
     */
    private <T> T expecting(String key, String what, Supplier<T> make) {
        T made;
        try {
            made = make.get();
        } catch (OrcaException e) {
            expectError(e, spec.get(key), what);
            return null;
        }
        if (spec.containsKey(key)) {
            fail("expected " + what + " error");
        }
        return made;
    }

    void run() {
        Map<String, Object> config = spec.containsKey("config") ? map(spec.get("config")) : Map.of();
        engine = expecting("config_error", "a configuration", () -> new Engine(config(config)));
        if (engine == null) {
            return;
        }
        store = new Store(engine);
        if (spec.containsKey("fuel")) {
            store.setFuel(number(spec.get("fuel")));
        }
        if (spec.containsKey("limits")) {
            Map<String, Object> limits = map(spec.get("limits"));
            store.setLimits(limit(limits, "memory_bytes"), limit(limits, "table_elements"), limit(limits, "instances"),
                    limit(limits, "tables"), limit(limits, "memories"));
        }
        module = expecting("compile_error", "a compile", () -> Module.fromBinary(engine,
                moduleBytes(spec.get("module"), spec.get("wat"), spec.get("wasm_hex"))));
        if (module == null) {
            return;
        }
        linker = new Linker(store);
        Object importList = spec.get("imports");
        if (importList != null) {
            defineImports(list(importList instanceof String setName ? imports.get(setName) : importList));
        }
        if (spec.containsKey("wasi")) {
            defineWasi(map(spec.get("wasi")));
        }
        try {
            instance = linker.instantiate(module);
        } catch (TrapException e) {
            expectError(e, spec.get("instantiate_error"), "instantiate");
            Object code = map(spec.get("instantiate_error")).get("code");
            if (code != null) {
                same("trap code", lower(e.code()), code);
            }
            return;
        } catch (OrcaException e) {
            expectError(e, spec.get("instantiate_error"), "instantiate");
            if (map(spec.get("instantiate_error")).containsKey("code")) {
                fail("no trap behind " + e.getMessage());
            }
            return;
        }
        if (spec.containsKey("instantiate_error")) {
            fail("expected an instantiation error");
        }
        for (Object item : list(spec.get("steps"))) {
            Map<String, Object> step = map(item);
            try {
                step(step);
            } catch (CaseFailure f) {
                Object what = step.containsKey("func") ? step.get("func") : step.getOrDefault("export", "");
                fail(step.get("op") + " " + what + ": " + f.getMessage());
            }
        }
    }

    private static long limit(Map<String, Object> limits, String name) {
        return limits.containsKey(name) ? number(limits.get(name)) : -1;
    }

    // ---- steps ----------------------------------------------------------------------------------

    private Object[] invoke(Func func, Object[] args, boolean raw) {
        ValType[] params = func.paramTypes();
        ValType[] results = func.resultTypes();
        ValType only = results.length == 1 ? results[0] : null;
        boolean typed = raw && only != null;
        for (ValType param : params) {
            typed &= param == only;
        }
        if (typed && only == ValType.I32) {
            int[] values = new int[args.length];
            for (int i = 0; i < args.length; ++i) {
                values[i] = (Integer) args[i];
            }
            return new Object[] {func.callI32(values)};
        }
        if (typed && only == ValType.I64) {
            long[] values = new long[args.length];
            for (int i = 0; i < args.length; ++i) {
                values[i] = (Long) args[i];
            }
            return new Object[] {func.callI64(values)};
        }
        if (typed && only == ValType.F64) {
            double[] values = new double[args.length];
            for (int i = 0; i < args.length; ++i) {
                values[i] = (Double) args[i];
            }
            return new Object[] {func.callF64(values)};
        }
        return func.call(args);
    }

    private void callOnce(Func func, Map<String, Object> step) {
        Object[] args = list(step.get("args")).stream().map(this::value).toArray();
        Throwable failure = null;
        Object[] results = null;
        Interrupter interrupter = step.containsKey("interrupt_after_ms")
                ? new Interrupter(number(step.get("interrupt_after_ms"))) : null;
        try {
            results = invoke(func, args, Boolean.TRUE.equals(step.get("raw")));
        } catch (CaseFailure f) {
            throw f;
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            if (interrupter != null) {
                interrupter.finish();
            }
        }
        if (!step.containsKey("expect")) {
            checkFailure(step, failure);
            return;
        }
        if (failure != null) {
            fail("unexpected failure: " + failure.getClass().getName() + ": " + failure.getMessage());
        }
        List<Object> expect = list(step.get("expect"));
        same("result count", results.length, expect.size());
        for (int i = 0; i < results.length; ++i) {
            check("result " + i, expect.get(i), results[i]);
        }
    }

    private void checkFailure(Map<String, Object> step, Throwable e) {
        if (e == null) {
            fail("expected a failure, the call returned");
        }
        if (step.containsKey("exit")) {
            if (!(e instanceof ExitException exit)) {
                throw fail("expected exit, got " + e.getClass().getName() + ": " + e.getMessage());
            }
            same("exit status", (long) exit.status(), number(step.get("exit")));
            return;
        }
        if (step.containsKey("error")) {
            if (!(e instanceof IllegalArgumentException)) {
                fail("expected IllegalArgumentException before the call, got " + e.getClass().getName() + ": "
                        + e.getMessage());
            }
            return;
        }
        Map<String, Object> want = map(step.get("trap"));
        if (!(e instanceof TrapException trap)) {
            throw fail("not a trap: " + e.getClass().getName() + ": " + e.getMessage());
        }
        String message = (String) want.getOrDefault("message", "");
        if (!trap.getMessage().contains(message)) {
            fail("trap message: " + trap.getMessage());
        }
        if (want.containsKey("code")) {
            same("trap code (" + trap.getMessage() + ")", lower(trap.code()), want.get("code"));
        }
        if (Boolean.TRUE.equals(want.get("from_host")) || Boolean.TRUE.equals(want.get("panic"))) {
            Throwable thrown = hostErrors.get(message);
            if (thrown == null) {
                fail("the host threw nothing");
            }
            if (trap.getCause() != thrown) {
                fail("getCause() is not the exception the host threw: " + trap.getCause());
            }
        }
        if (want.containsKey("trace")) {
            List<Long> trace = trap.frames().stream().map(f -> (long) f.funcIndex()).toList();
            same("trace", trace, want.get("trace"));
        }
        if (want.containsKey("module_offsets")) {
            List<Long> offsets = trap.frames().stream().map(TrapException.Frame::moduleOffset).toList();
            same("module offsets", offsets, want.get("module_offsets"));
        }
    }

    private void call(Map<String, Object> step) {
        Func func = instance.func((String) step.get("func"));
        if (func == null) {
            fail("no function export " + step.get("func"));
        }
        long repeat = Math.max(step.containsKey("repeat") ? number(step.get("repeat")) : 1, 1);
        for (long i = 0; i < repeat; ++i) {
            callOnce(func, step);
        }
    }

    private void step(Map<String, Object> step) {
        boolean ok = !Boolean.FALSE.equals(step.get("ok"));
        String op = (String) step.get("op");
        switch (op) {
            case "call" -> call(step);
            case "host.call" -> callOnce(hostFunc(store, "host", step), step);
            case "log" -> {
                List<String> got = new ArrayList<>(log);
                log.clear();
                same("log", got, step.get("expect"));
            }
            case "exports" -> same("exports",
                    module.exports().stream().map(e -> List.of(e.name(), lower(e.kind()))).toList(), step.get("expect"));
            case "imports" -> same("imports",
                    module.imports().stream().map(i -> List.of(i.module(), i.name(), lower(i.kind()))).toList(),
                    step.get("expect"));
            case "func.type" -> {
                Func func = instance.func((String) step.get("func"));
                same("params", List.of(func.paramTypes()).stream().map(ConformanceRunner::lower).toList(),
                        step.get("params"));
                same("results", List.of(func.resultTypes()).stream().map(ConformanceRunner::lower).toList(),
                        step.get("results"));
            }
            case "memory.read", "memory.write", "memory.size", "memory.data_size", "memory.grow", "memory.type" ->
                memoryStep(op, step, ok);
            case "global.get", "global.set", "global.type" -> globalStep(op, step, ok);
            case "table.size", "table.get", "table.set", "table.grow", "table.type" -> tableStep(op, step, ok);
            case "serialize" -> {
                module = Module.deserialize(engine, module.serialize());
                instance = linker.instantiate(module);
            }
            case "deserialize" -> {
                try {
                    Module.deserialize(engine, hex(step.getOrDefault("hex", ""))).close();
                    same("deserialize", true, ok);
                } catch (OrcaException e) {
                    same("deserialize (" + e.getMessage() + ")", false, ok);
                    if (step.containsKey("kind")) {
                        same("error kind", lower(e.kind()), step.get("kind"));
                    }
                }
            }
            case "deadline" -> same("deadline",
                    allowed(() -> store.setDeadline(Duration.ofMillis(number(step.get("ms"))))), ok);
            case "instances" -> instancesStep(step, ok);
            case "threads" -> threadsStep(step);
            case "fuel.get" -> {
                long fuel = store.fuel();
                if (!(fuel < number(step.get("below")) && fuel > number(step.get("above")))) {
                    fail("fuel " + fuel);
                }
            }
            case "fuel.set" -> same("fuel.set", allowed(() -> store.setFuel(number(step.get("value")))), ok);
            case "interrupt" -> same("interrupt", allowed(store::interrupt), ok);
            case "stdout" -> same("stdout", new String(linker.stdout(), StandardCharsets.UTF_8), step.get("expect"));
            case "stderr" -> same("stderr", new String(linker.stderr(), StandardCharsets.UTF_8), step.get("expect"));
            default -> fail("unknown step " + op);
        }
    }

    private void memoryStep(String op, Map<String, Object> step, boolean ok) {
        Memory memory = instance.memory((String) step.get("export"));
        if (memory == null) {
            fail("no memory export " + step.get("export"));
        }
        long offset = step.containsKey("offset") ? number(step.get("offset")) : 0;
        switch (op) {
            case "memory.read" -> {
                int length = step.containsKey("length") ? (int) number(step.get("length"))
                        : ((String) step.get("hex")).length() / 2;
                byte[][] bytes = new byte[1][];
                same("read allowed", allowed(() -> bytes[0] = memory.read(offset, length)), ok);
                if (bytes[0] != null) {
                    same("bytes", HexFormat.of().formatHex(bytes[0]), step.get("hex"));
                }
            }
            case "memory.write" -> same("write allowed", allowed(() -> memory.write(offset, hex(step.get("hex")))), ok);
            case "memory.size" -> same("pages", memory.size(), number(step.get("pages")));
            case "memory.data_size" -> same("bytes", memory.dataSize(), number(step.get("bytes")));
            case "memory.grow" -> same("grow", memory.grow(number(step.get("delta"))), ok);
            default -> same("type", List.of(memory.minimum(), memory.maximum()),
                    List.of(number(step.get("min")), step.containsKey("max") ? number(step.get("max")) : -1L));
        }
    }

    private void globalStep(String op, Map<String, Object> step, boolean ok) {
        Global global = instance.global((String) step.get("export"));
        if (global == null) {
            fail("no global export " + step.get("export"));
        }
        switch (op) {
            case "global.type" -> same("type", List.of(lower(global.type()), global.isMutable()),
                    List.of(step.get("type"), Boolean.TRUE.equals(step.get("mutable"))));
            case "global.get" -> check("global", step.get("expect"), global.get());
            default -> {
                Object value = value(step.get("value"));
                same("set allowed", allowed(() -> global.set(value)), ok);
            }
        }
    }

    private void tableStep(String op, Map<String, Object> step, boolean ok) {
        Table table = instance.table((String) step.get("export"));
        if (table == null) {
            fail("no table export " + step.get("export"));
        }
        int index = step.containsKey("index") ? (int) number(step.get("index")) : 0;
        switch (op) {
            case "table.type" -> same("type", List.of(lower(table.elementType()), table.minimum(), table.maximum()),
                    List.of(step.get("elem"), number(step.get("min")),
                            step.containsKey("max") ? number(step.get("max")) : -1L));
            case "table.size" -> same("size", table.size(), number(step.get("size")));
            case "table.get" -> {
                Object[] element = new Object[1];
                same("get allowed", allowed(() -> element[0] = table.element(index)), ok);
                if (ok) {
                    check("element", step.get("expect"), element[0]);
                }
            }
            case "table.set" -> {
                Object value = value(step.get("value"));
                same("set allowed", allowed(() -> table.setElement(index, value)), ok);
            }
            default -> {
                Object init = value(step.get("init"));
                int delta = (int) number(step.get("delta"));
                boolean[] grown = new boolean[1];
                same("grow allowed", allowed(() -> grown[0] = table.growElements(delta, init)) && grown[0], ok);
            }
        }
    }

    private void instancesStep(Map<String, Object> step, boolean ok) {
        for (long i = 0; i < number(step.get("count")); ++i) {
            Instance made;
            try {
                made = linker.instantiate(module);
            } catch (OrcaException e) {
                if (ok) {
                    fail("instance: " + e.getMessage());
                }
                continue;
            }
            if (!ok) {
                fail("instantiation past the limit succeeded");
            }
            if (step.containsKey("func")) {
                Instance saved = instance;
                instance = made;
                try {
                    call(step);
                } finally {
                    instance = saved;
                }
            }
        }
    }

    /** Threads sharing the engine and the module, each with a store and an instance of its own. */
    private void threadsStep(Map<String, Object> step) {
        int count = (int) number(step.get("count"));
        long iterations = number(step.get("iterations"));
        Map<String, Object> callStep = new HashMap<>(step);
        callStep.put("op", "call");
        List<Thread> threads = new ArrayList<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < count; ++t) {
            Thread thread = new Thread(() -> {
                ConformanceCase local = new ConformanceCase(suite, spec, imports);
                local.engine = engine;
                local.module = module;
                try (Store own = new Store(engine); Linker ownLinker = new Linker(own)) {
                    local.store = own;
                    local.linker = ownLinker;
                    local.instance = ownLinker.instantiate(module);
                    for (long i = 0; i < iterations; ++i) {
                        local.call(callStep);
                    }
                } catch (RuntimeException e) {
                    failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }, "conformance-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while joining the threads");
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " threads failed, first: " + failures.get(0));
        }
    }

    /**
     * Interrupts the calling thread after a time unless the call finished first. The lock makes
     * "finished" and "interrupt" exclusive, so no interrupt can land after finish() cleared it.
     */
    private static final class Interrupter {
        private final Thread caller = Thread.currentThread();
        private final Thread timer;
        private boolean finished;

        Interrupter(long millis) {
            timer = new Thread(() -> {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    return; // finish() came first
                }
                synchronized (this) {
                    if (!finished) {
                        caller.interrupt();
                    }
                }
            }, "conformance-interrupter");
            timer.setDaemon(true);
            timer.start();
        }

        void finish() {
            synchronized (this) {
                finished = true;
            }
            timer.interrupt();
            Thread.interrupted(); // the flag stays set after an interrupted call: clear it for the next
        }
    }
}
