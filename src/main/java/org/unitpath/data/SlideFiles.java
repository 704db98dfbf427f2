package org.unitpath.data;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The slide and image files inside folders, and the names their outputs take. */
public final class SlideFiles {
    /** What a folder is searched for: ordinary images and the whole-slide formats. */
    public static final Set<String> EXTENSIONS = Set.of("svs", "tif", "tiff", "png", "jpg", "jpeg", "dcm", "ndpi", "vms",
            "mrxs", "scn", "bif", "svslide");

    private SlideFiles() {}

    /**
     * The images in {@code dir} (with {@code recursive}, also in its subfolders, following links),
     * sorted; hidden files and folders are left out. An empty result is an error naming the folder.
     */
    public static List<Path> folder(Path dir, boolean recursive) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), recursive ? Integer.MAX_VALUE : 1,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                        return d.equals(dir) || !hidden(d) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && !hidden(p) && EXTENSIONS.contains(extension(p.getFileName().toString()))) {
                            found.add(p);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                        if (e instanceof FileSystemLoopException) {
                            return FileVisitResult.CONTINUE; // a link back up the tree: its files are listed once already
                        }
                        throw e;
                    }
                });
        if (found.isEmpty()) {
            throw new IOException(dir + ": no images in this folder" + (recursive ? " or below it" : "") + " (."
                    + String.join(", .", EXTENSIONS.stream().sorted().toList()) + ")");
        }
        found.sort(null);
        return found;
    }

    /** The file name without its last extension: tiles of {@code a/slide1.svs} are {@code slide1_<x>_<y>.png}. */
    public static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Whether a name has one of {@link #EXTENSIONS}. */
    public static boolean isSlideName(String name) {
        return EXTENSIONS.contains(extension(name));
    }

    private static boolean hidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
