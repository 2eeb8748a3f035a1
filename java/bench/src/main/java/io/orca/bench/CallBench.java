package io.orca.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import io.orca.Engine;
import io.orca.Func;
import io.orca.Instance;
import io.orca.Linker;
import io.orca.Module;
import io.orca.Store;
import io.orca.ValType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The same wasm module on three runtimes: Orca (native code from LLVM, through JNI; with and
 * without interruption checks), Chicory's interpreter and Chicory's compiler to JVM bytecode. Three workloads: a Java-to-wasm call of an
 * i32 add, a wasm loop calling a Java host function `hostCalls` times, and fib(25) as a compute
 * kernel (about 250,000 calls inside wasm).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallBench {
    static final String WAT = """
            (module
              (import "env" "inc" (func $inc (param i32) (result i32)))
              (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
              (func (export "host_loop") (param $n i32) (result i32) (local $acc i32)
                (block $done
                  (loop $next
                    (br_if $done (i32.eqz (local.get $n)))
                    (local.set $acc (call $inc (local.get $acc)))
                    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                    (br $next)))
                local.get $acc)
              (func $fib (export "fib") (param $n i32) (result i32)
                (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
                  (then (local.get $n))
                  (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                                 (call $fib (i32.sub (local.get $n) (i32.const 2))))))))
            """;
    static final int FIB_N = 25;
    static final int FIB_RESULT = 75025;

    /* "orca-uninterruptible": an engine without the interruption checks (Engine.Config.interruptible). */
    @Param({"orca", "orca-uninterruptible", "chicory-interpreter", "chicory-compiler"})
    public String runtime;

    @Param({"1000"})
    public int hostCalls;

    private Engine engine;
    private Store store;
    private Func orcaAdd;
    private Func orcaHostLoop;
    private Func orcaFib;
    private ExportFunction chicoryAdd;
    private ExportFunction chicoryHostLoop;
    private ExportFunction chicoryFib;
    private int a = 40;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] wasm = Module.wat2wasm(WAT);
        if (runtime.startsWith("orca")) {
            engine = new Engine(new Engine.Config().cache(false).interruptible(runtime.equals("orca")));
            store = new Store(engine);
            ValType[] i32 = {ValType.I32};
            try (Linker linker = new Linker(store); Module module = Module.fromBinary(engine, wasm)) {
                linker.defineFunc("env", "inc", i32, i32, (caller, args) -> (int) args[0] + 1);
                Instance instance = linker.instantiate(module);
                orcaAdd = instance.func("add");
                orcaHostLoop = instance.func("host_loop");
                orcaFib = instance.func("fib");
            }
        } else {
            WasmModule module = Parser.parse(wasm);
            HostFunction inc = new HostFunction("env", "inc",
                    FunctionType.of(List.of(com.dylibso.chicory.wasm.types.ValType.I32),
                            List.of(com.dylibso.chicory.wasm.types.ValType.I32)),
                    (instance, args) -> new long[] {(int) args[0] + 1});
            com.dylibso.chicory.runtime.Instance.Builder builder = com.dylibso.chicory.runtime.Instance.builder(module)
                    .withImportValues(ImportValues.builder().addFunction(inc).build());
            if (runtime.equals("chicory-compiler")) {
                builder.withMachineFactory(MachineFactoryCompiler.compile(module));
            }
            com.dylibso.chicory.runtime.Instance instance = builder.build();
            chicoryAdd = instance.export("add");
            chicoryHostLoop = instance.export("host_loop");
            chicoryFib = instance.export("fib");
        }
        // Every runtime must compute the same results, or the comparison means nothing.
        check("add", add(), a + 2);
        check("host_loop", hostLoop(), hostCalls);
        check("fib", fib(), FIB_RESULT);
    }

    private static void check(String what, int got, int want) {
        if (got != want) {
            throw new IllegalStateException(what + " returned " + got + ", expected " + want);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (store != null) {
            store.close();
            engine.close();
        }
    }

    /** Java to wasm: one call of an i32 add. */
    @Benchmark
    public int add() {
        return orcaAdd != null ? orcaAdd.callI32(a, 2) : (int) chicoryAdd.apply(a, 2)[0];
    }

    /** Wasm to Java: one call that makes `hostCalls` host calls (divide the time by it). */
    @Benchmark
    public int hostLoop() {
        return orcaHostLoop != null ? orcaHostLoop.callI32(hostCalls) : (int) chicoryHostLoop.apply(hostCalls)[0];
    }

    /** A compute kernel: recursive fib(25). */
    @Benchmark
    public int fib() {
        return orcaFib != null ? orcaFib.callI32(FIB_N) : (int) chicoryFib.apply(FIB_N)[0];
    }
}
