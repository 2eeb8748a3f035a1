package io.orca.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Runs the shared conformance suite (-Dorca.conformance.dir, default ../tests/conformance). */
class ConformanceTest {
    @Test
    void everyCasePasses() throws IOException {
        Path suite = Path.of(System.getProperty("orca.conformance.dir", "../tests/conformance"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ConformanceRunner.Totals totals = ConformanceRunner.run(suite, "",
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, totals.failed(), output);
        assertEquals(casesIn(suite), totals.passed(), output);
    }

    /** How many cases the suite's files hold, counted apart from the runner. */
    private static long casesIn(Path suite) throws IOException {
        long count = 0;
        try (Stream<Path> files = Files.list(suite.resolve("cases"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                count += ConformanceRunner.list(ConformanceRunner.map(ConformanceRunner.parseJson(Files.readString(file))).get("cases"))
                        .size();
            }
        }
        return count;
    }
}
