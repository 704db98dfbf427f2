package org.unitpath.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Lists the PNG tiles of a dataset {@code <root>/<name>/<scale>/*.png}. A name ending in
 * {@code -N} (e.g. {@code colon_-160000}) means the folder without the suffix, of which N files
 * are kept after a seeded shuffle, as in the release.
 */
public final class DatasetFiles {
    private static final Pattern LIMIT = Pattern.compile("(.*)-(\\d+)");

    /** A tile and the scale folder it came from. */
    public record Tile(Path file, ScaleSpec scale) {}

    private DatasetFiles() {}

    public static List<Tile> list(Path root, String name, List<ScaleSpec> scales, long seed) throws IOException {
        String folder = name;
        long limit = Long.MAX_VALUE;
        Matcher m = LIMIT.matcher(name);
        if (m.matches()) {
            folder = m.group(1);
            limit = Long.parseLong(m.group(2));
        }
        Path base = root.resolve(folder);
        if (!Files.isDirectory(base)) {
            throw new NoSuchFileException(base.toString(), null, "dataset folder not found");
        }
        List<Tile> tiles = new ArrayList<>();
        for (ScaleSpec scale : scales) {
            Path dir = base.resolve(scale.name());
            if (!Files.isDirectory(dir)) {
                throw new NoSuchFileException(dir.toString(), null, "scale folder not found (expected " + scale.name()
                        + " inside the dataset folder)");
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png"))
                        .sorted().forEach(p -> tiles.add(new Tile(p, scale)));
            }
        }
        if (tiles.isEmpty()) {
            throw new NoSuchFileException(base.toString(), null, "no .png tiles in " + scales.stream().map(ScaleSpec::name).toList());
        }
        Collections.shuffle(tiles, new Random(seed));
        return limit < tiles.size() ? List.copyOf(tiles.subList(0, (int) limit)) : List.copyOf(tiles);
    }
}
