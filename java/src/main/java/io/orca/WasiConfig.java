package io.orca;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a WASI guest sees: arguments, environment, preopened directories, stdin, and where its
 * stdout and stderr go (captured by default: Linker.stdout() and stderr() give the bytes).
 */
public final class WasiConfig {
    final List<String> args = new ArrayList<>();
    final List<String> env = new ArrayList<>();
    final List<String[]> preopens = new ArrayList<>();
    boolean inheritEnv;
    byte[] stdin;
    boolean inheritStdin;
    boolean inheritStdout;
    boolean inheritStderr;

    /** The guest's arguments, program name first. */
    public WasiConfig args(String... values) {
        args.clear();
        args.addAll(List.of(values));
        return this;
    }

    public WasiConfig env(String name, String value) {
        env.add(name);
        env.add(value);
        return this;
    }

    /** The guest sees this process's environment. */
    public WasiConfig inheritEnv() {
        inheritEnv = true;
        return this;
    }

    /** The host directory appears to the guest under guestPath. */
    public WasiConfig preopen(String hostPath, String guestPath) {
        preopens.add(new String[] {hostPath, guestPath});
        return this;
    }

    public WasiConfig stdin(byte[] bytes) {
        stdin = bytes.clone();
        return this;
    }

    public WasiConfig inheritStdin() {
        inheritStdin = true;
        return this;
    }

    public WasiConfig inheritStdout() {
        inheritStdout = true;
        return this;
    }

    public WasiConfig inheritStderr() {
        inheritStderr = true;
        return this;
    }

    /** Words as the native side reads them: each NUL-terminated. */
    static byte[] words(List<String> words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String word : words) {
            if (word.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a WASI argument or variable holds a NUL character");
            }
            out.writeBytes(word.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }
}
