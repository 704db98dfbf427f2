package org.unitpath.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real data sets too large or too restricted to bundle (MoNuSeg is CC BY-NC-SA: test data only),
 * kept outside the repository in {@code shared/testdata/<name>}: found through the system property
 * or environment variable {@code unitpath.testdata} / {@code UNITPATH_TESTDATA}, else in a
 * {@code shared/testdata} beside the working directory or any folder above it. Tests that need
 * one are skipped, with the reason, where it is absent.
 */
public final class SharedTestData {
    private SharedTestData() {}

    public static Path dir(String name) {
        String given = System.getProperty("unitpath.testdata", System.getenv("UNITPATH_TESTDATA"));
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given, name);
            Assumptions.assumeTrue(Files.isDirectory(p), "shared test data " + p + " is absent");
            return p;
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared").resolve("testdata").resolve(name);
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        Assumptions.abort("shared test data '" + name + "' not found in shared/testdata above " + Path.of("").toAbsolutePath()
                + " (set -Dunitpath.testdata=DIR)");
        return null;
    }
}
