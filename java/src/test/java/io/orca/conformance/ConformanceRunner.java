package io.orca.conformance;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import io.orca.Func;
import io.orca.ValType;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Java runner of the shared conformance suite (tests/conformance, described in its README.md):
 * every case runs through the public io.orca API the way the C reference runner runs it through
 * the C API. It prints "ok NAME" / "FAIL NAME: reason" per case and "N passed, N failed" last.
 *
 * <pre>
 *   java -cp target/orca-0.1.0.jar:target/test-classes io.orca.conformance.ConformanceRunner ../tests/conformance [FILTER]
 * </pre>
 *
 * Where Java differs from the vocabulary's reference languages:
 * <ul>
 * <li>a host function's "error" throws a checked exception (HostError) and "panic" an unchecked
 * one (HostPanic); Java fails both ways by exceptions. The caller gets a TrapException (HOST_ERROR)
 * whose getCause() is that very exception ("from_host", and "panic": the host's own exception
 * reaches the caller);</li>
 * <li>every Java host function receives a Caller, so "caller": true changes only whose exports
 * read, write and call reach (the caller's instead of the case's instance);</li>
 * <li>"error" steps (a call refused before it runs) are IllegalArgumentException;</li>
 * <li>"raw" calls use the unboxed fast paths (callI32, callI64, callF64) where the function's type
 * fits one, and call(Object...) otherwise;</li>
 * <li>"threads" are real Java threads, each with its own store and instance of the shared engine
 * and module;</li>
 * <li>"interrupt_after_ms" is Thread.interrupt() of the calling thread from a timer thread, the
 * Java way to cancel a blocking call (Orca's watcher turns it into the store's interruption).</li>
 * </ul>
 */
public final class ConformanceRunner {
    /** The counts of one run. */
    public record Totals(int passed, int failed) {
    }

    /** A case's failure: the reason printed after FAIL. */
    static final class CaseFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CaseFailure(String why) {
            super(why, null, false, false);
        }
    }

    /** "error": a host function fails normally, by a checked exception. */
    static final class HostError extends Exception {
        private static final long serialVersionUID = 1L;

        HostError(String message) {
            super(message);
        }
    }

    /** "panic": a host function fails by an unchecked exception. */
    static final class HostPanic extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HostPanic(String message) {
            super(message);
        }
    }

    /** The Java value behind "externref:N": an object, so that identity is checked, not equality. */
    record Ext(int n) {
    }

    static CaseFailure fail(String why) {
        throw new CaseFailure(why);
    }

    public static void main(String[] args) throws IOException {
        Path suite = Path.of(args.length > 0 ? args[0] : System.getProperty("orca.conformance.dir",
                "../tests/conformance"));
        Totals totals = run(suite, args.length > 1 ? args[1] : "", System.out);
        System.exit(totals.failed() == 0 && totals.passed() > 0 ? 0 : 1);
    }

    /** Runs every case whose name contains `filter`, printing to `out`; ends with the totals line. */
    public static Totals run(Path suite, String filter, PrintStream out) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(suite.resolve("cases"))) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        Map<String, Object> imports = map(parseJson(Files.readString(suite.resolve("imports.json"))));
        int passed = 0;
        int failed = 0;
        for (Path file : files) {
            for (Object item : list(map(parseJson(Files.readString(file))).get("cases"))) {
                Map<String, Object> spec = map(item);
                String name = (String) spec.get("name");
                if (!name.contains(filter)) {
                    continue;
                }
                String why = null;
                ConformanceCase runner = new ConformanceCase(suite, spec, imports);
                try {
                    runner.run();
                } catch (CaseFailure f) {
                    why = f.getMessage();
                } catch (Throwable t) {
                    why = t.getClass().getName() + ": " + t.getMessage();
                } finally {
                    runner.close();
                }
                if (why == null) {
                    ++passed;
                    out.println("ok " + name);
                } else {
                    ++failed;
                    out.println("FAIL " + name + ": " + why);
                }
            }
        }
        if (files.isEmpty()) {
            out.println("no cases in " + suite);
            ++failed;
        }
        out.println(passed + " passed, " + failed + " failed");
        return new Totals(passed, failed);
    }

    /**
     * Reads a suite file: objects become maps with their keys in file order, arrays lists, and
     * numbers Long, or Double when they have a fraction or an exponent.
     */
    static Object parseJson(String text) {
        return JSON.fromJson(text, Object.class);
    }

    private static final Gson JSON =
            new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    static long number(Object value) {
        return ((Number) value).longValue();
    }

    static ValType type(Object name) {
        try {
            return ValType.valueOf(((String) name).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw fail("unknown type " + name);
        }
    }

    static ValType[] types(Object names) {
        return list(names).stream().map(ConformanceRunner::type).toArray(ValType[]::new);
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static byte[] hex(Object text) {
        return HexFormat.of().parseHex((String) text);
    }

    /** A suite value of `kind` as the suite writes it (funcrefs: null or nonnull). */
    static String format(String kind, Object value) {
        if (kind.equals("i32") && value instanceof Integer i) {
            return "i32:" + i;
        } else if (kind.equals("i64") && value instanceof Long l) {
            return "i64:" + l;
        } else if (kind.equals("f32") && value instanceof Float f) {
            return String.format("f32:0x%08x", Float.floatToRawIntBits(f));
        } else if (kind.equals("f64") && value instanceof Double d) {
            return String.format("f64:0x%016x", Double.doubleToRawLongBits(d));
        } else if (kind.equals("v128") && value instanceof byte[] bytes && bytes.length == 16) {
            byte[] bigEndian = bytes.clone();
            for (int i = 0; i < 8; ++i) {
                byte b = bigEndian[i];
                bigEndian[i] = bigEndian[15 - i];
                bigEndian[15 - i] = b;
            }
            return "v128:0x" + HexFormat.of().formatHex(bigEndian);
        } else if (value == null) {
            return kind + ":null";
        } else if (value instanceof Func) {
            return "funcref:nonnull";
        } else if (value instanceof Ext ext) {
            return "externref:" + ext.n();
        }
        return kind + ":" + value.getClass().getSimpleName() + "(" + value + ")";
    }

    /** The text of a v128 (a hex number, lane 0 in the low bits) as 16 little-endian bytes. */
    static byte[] v128(String hex) {
        byte[] bigEndian = new BigInteger(hex.substring(2), 16).toByteArray();
        byte[] bytes = new byte[16];
        for (int i = 0; i < 16 && i < bigEndian.length; ++i) {
            bytes[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return bytes;
    }

    /** The numeric values of the suite's notation (references need a case: ConformanceCase.value). */
    static Object number(String kind, String rest) {
        return switch (kind) {
            case "i32" -> (int) Long.parseLong(rest);
            case "i64" -> new BigInteger(rest).longValue();
            case "f32" -> Float.intBitsToFloat((int) Long.parseLong(rest.substring(2), 16));
            case "f64" -> Double.longBitsToDouble(Long.parseUnsignedLong(rest.substring(2), 16));
            case "v128" -> v128(rest);
            default -> throw fail("bad value " + kind + ":" + rest);
        };
    }
}
