package org.unitpath.transfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.NpyFloat;

/**
 * Features of a list of images kept in {@code DIR/features-<key>.npy}, the key a hash of the
 * weights file, the input size and every image's path, size and modification time: rerunning a
 * probe with other settings reuses them, and changing any input recomputes them.
 */
final class FeatureCache {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);

    private final Path dir;
    private final Path weights;
    private final int side;

    FeatureCache(Path dir, Path weights, int side) {
        this.dir = dir;
        this.weights = weights;
        this.side = side;
    }

    NpyFloat.Matrix features(List<Path> files, FeatureExtractor extractor, String what) throws IOException {
        Path file = dir.resolve("features-" + key(files) + ".npy");
        if (Files.isRegularFile(file)) {
            NpyFloat.Matrix m = NpyFloat.read(file);
            if (m.rows() == files.size() && m.cols() == extractor.features()) {
                LOG.info("{}: features of {} images reused from {}", what, files.size(), file);
                return m;
            }
        }
        NpyFloat.Matrix m = extractor.all(ImageSource.of(files), what);
        NpyFloat.write(file, m);
        return m;
    }

    private String key(List<Path> files) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            add(md, weights);
            md.update(Integer.toString(side).getBytes(StandardCharsets.UTF_8));
            for (Path f : files) {
                add(md, f);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(MessageDigest md, Path f) throws IOException {
        String id = f.toAbsolutePath().normalize() + "|" + Files.size(f) + "|" + Files.getLastModifiedTime(f).toMillis() + "\n";
        md.update(id.getBytes(StandardCharsets.UTF_8));
    }
}
