package org.unitpath.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.unitpath.torch.pt.PtFile;

/**
 * Training checkpoints {@code model_<iteration>.pt} in the output folder: written atomically
 * (a crash or kill -9 mid-write leaves the previous file intact), the newest K kept, the
 * newest readable one found on resume.
 */
public final class Checkpoints {
    private static final Pattern NAME = Pattern.compile("model_(\\d{7})\\.pt");
    private final Path dir;
    private final int keep;

    public Checkpoints(Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("SOLVER.CHECKPOINTS_KEPT must be >= 1, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
    }

    public Path pathFor(long iteration) {
        return dir.resolve(String.format("model_%07d.pt", iteration));
    }

    public Path save(long iteration, Map<String, ?> state) throws IOException {
        Path file = pathFor(iteration);
        PtFile.write(file, state);
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i));
        }
        return file;
    }

    /** Checkpoints by increasing iteration. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().forEach(out::add);
        }
        return out;
    }

    public Optional<Path> latest() throws IOException {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public static long iterationOf(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
