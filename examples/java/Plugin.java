// A plugin in wasm calls back into Java (a host function that reads the plugin's memory through
// its Caller), and a guest that never returns is stopped by Future.cancel(true), which interrupts
// the thread that runs it.
//
//   java -cp java/target/orca-0.1.0.jar examples/java/Plugin.java    # prints three lines, see the end
import io.orca.Engine;
import io.orca.Instance;
import io.orca.Linker;
import io.orca.Module;
import io.orca.Store;
import io.orca.TrapException;
import io.orca.ValType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

public class Plugin {
    public static void main(String[] args) throws Exception {
        Path wat = Path.of(System.getProperty("plugin.wat", "examples/plugin.wat"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Engine engine = new Engine();
             Module module = Module.fromWat(engine, Files.readString(wat));
             Store store = new Store(engine);
             Linker linker = new Linker(store)) {
            ValType[] pointerAndLength = {ValType.I32, ValType.I32};
            linker.defineFunc("host", "log", pointerAndLength, new ValType[0], (caller, params) -> {
                byte[] text = caller.memory("memory").read((int) params[0], (int) params[1]);
                System.out.println("plugin says: " + new String(text, StandardCharsets.UTF_8));
                return null;
            });
            Instance plugin = linker.instantiate(module);
            plugin.func("run").call();

            Future<?> spinning = pool.submit(() -> plugin.func("spin").call());
            try {
                spinning.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                spinning.cancel(true); // interrupts the pool's thread: the guest stops with a trap
            }
            // Wait for the guest to have stopped before the store closes.
            pool.submit(() -> {}).get();
            System.out.println("stopped by Future.cancel");
        } finally {
            pool.shutdown();
        }
        System.out.println("done");
    }
}
// Output:
// plugin says: hello from the plugin
// stopped by Future.cancel
// done
