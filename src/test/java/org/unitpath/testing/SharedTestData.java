package org.unitpath.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real data sets too large or too restricted to bundle (MoNuSeg is CC BY-NC-SA: test data only),
 * kept outside the repository in {@code shared/testdata/<name>}: found through the system property
 * or environment variable {@code unitpath.testdata} / {@code UNITPATH_TESTDATA}, else in a
 * {@code shared/testdata} beside the working directory or any folder above it. Tests that need
 * one are skipped, each with the reason, where it is absent.
 */
public final class SharedTestData {
    private SharedTestData() {}

    /**
     * The data set's folder, or null where it is absent. For {@code @BeforeAll}: an abort there
     * would hide the class's tests from surefire's counts, so each test calls {@link #assume}.
     */
    public static Path find(String name) {
        String given = System.getProperty("unitpath.testdata", System.getenv("UNITPATH_TESTDATA"));
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given, name);
            return Files.isDirectory(p) ? p : null;
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared").resolve("testdata").resolve(name);
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /** Skips the running test, with the reason, where {@code found} (from {@link #find}) is null. */
    public static void assume(Path found, String name) {
        Assumptions.assumeTrue(found != null, () -> "shared test data '" + name + "' not found in shared/testdata above "
                + Path.of("").toAbsolutePath() + " (set -Dunitpath.testdata=DIR)");
    }
}
