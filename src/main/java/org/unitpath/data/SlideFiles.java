package org.unitpath.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Expands tiling inputs: files as given, folders to the images inside them (sorted, not recursive). */
public final class SlideFiles {
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "tif", "tiff", "svs");

    private SlideFiles() {}

    /** The image files named by {@code inputs}; tile names must not collide, so base names must differ. */
    public static List<Path> list(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                List<Path> found = new ArrayList<>();
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(in)) {
                    for (Path p : dir) {
                        String name = p.getFileName().toString();
                        if (!name.startsWith(".") && EXTENSIONS.contains(extension(name)) && Files.isRegularFile(p)) {
                            found.add(p);
                        }
                    }
                }
                if (found.isEmpty()) {
                    throw new IOException(in + ": no images in this folder (." + String.join(", .", EXTENSIONS.stream()
                            .sorted().toList()) + ")");
                }
                found.sort(null);
                files.addAll(found);
            } else if (Files.isRegularFile(in)) {
                files.add(in);
            } else {
                throw new NoSuchFileException(in.toString());
            }
        }
        Map<String, Path> names = new HashMap<>();
        for (Path f : files) {
            Path other = names.putIfAbsent(baseName(f), f);
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + f + " would both write tiles named "
                        + baseName(f) + "_<x>_<y>.png; rename one");
            }
        }
        return files;
    }

    /** The file name without its last extension: tiles of {@code a/slide1.svs} are {@code slide1_<x>_<y>.png}. */
    public static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
