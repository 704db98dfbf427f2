package org.unitpath.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A classification dataset in the image-folder layout (Kather's NCT-CRC-HE-100K and
 * CRC-VAL-HE-7K, torchvision's ImageFolder): {@code root/<CLASS>/*.tif|png|jpg}, one folder per
 * class, class names sorted. Items are sorted by class, then by file name.
 */
public record ImageFolder(Path root, List<String> classes, List<Item> items) {
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "tif", "tiff");

    /** One image and the index of its class. */
    public record Item(Path file, int label) {}

    public ImageFolder {
        classes = List.copyOf(classes);
        items = List.copyOf(items);
    }

    /** Scans {@code root}; every class folder must hold at least one image. */
    public static ImageFolder scan(Path root) throws IOException {
        return scan(root, null);
    }

    /**
     * Scans {@code root} against a known class list (a test set labelled like its training
     * set): a folder named after an unknown class is an error, a missing class is allowed.
     */
    public static ImageFolder scan(Path root, List<String> knownClasses) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "no such folder");
        }
        List<Path> dirs = new ArrayList<>();
        boolean looseImages = false;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    dirs.add(p);
                } else if (isImage(p)) {
                    looseImages = true;
                }
            }
        }
        if (dirs.isEmpty()) {
            throw new IOException(root + ": no class folders; expected " + root + "/<CLASS>/<image> with one folder per class"
                    + (looseImages ? " (found images directly in the folder)" : ""));
        }
        dirs.sort(null);
        List<String> classes = knownClasses != null ? knownClasses
                : dirs.stream().map(d -> d.getFileName().toString()).toList();
        List<Item> items = new ArrayList<>();
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            int label = classes.indexOf(name);
            if (label < 0) {
                throw new IOException(dir + ": class '" + name + "' is not one of the training classes " + classes);
            }
            List<Path> images = images(dir);
            if (images.isEmpty()) {
                throw new IOException(dir + ": class folder holds no images (." + String.join(", .", EXTENSIONS.stream()
                        .sorted().toList()) + ")");
            }
            images.forEach(f -> items.add(new Item(f, label)));
        }
        return new ImageFolder(root, classes, items);
    }

    /** The images directly inside {@code dir}, sorted by name. */
    public static List<Path> images(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (!p.getFileName().toString().startsWith(".") && isImage(p) && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    public int size() {
        return items.size();
    }

    public int[] labels() {
        return items.stream().mapToInt(Item::label).toArray();
    }

    public List<Path> files() {
        return items.stream().map(Item::file).toList();
    }

    /** The items at {@code indices}, in that order, with the same classes. */
    public ImageFolder subset(int[] indices) {
        List<Item> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(items.get(i));
        }
        return new ImageFolder(root, classes, out);
    }
}
