package org.unitpath.io.slide;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.RgbImage;

/**
 * A DICOM whole-slide image series (VL Whole Slide Microscopy) as a {@link Slide}. A series is one
 * slide: its files lie in one folder, each VOLUME image is a pyramid level, and its thumbnail,
 * label and overview images are not read. Frames are read and decoded on demand.
 */
final class DicomSlide implements Slide {
    private static final Logger LOG = LoggerFactory.getLogger(DicomSlide.class);

    private record Level(DicomImage image, DicomFrames frames, FileChannel ch) {}

    private final Path file;
    private final List<Level> levels;
    private final TileCache cache = new TileCache();

    private DicomSlide(Path file, List<Level> levels) {
        this.file = file;
        this.levels = levels;
    }

    /** Opens the series of a DICOM file, gathered from the file's folder, or the one series in a folder. */
    static DicomSlide open(Path path) throws IOException {
        List<DicomFile.Header> members;
        if (Files.isDirectory(path)) {
            Map<String, List<DicomFile.Header>> series = scan(path);
            if (series.isEmpty()) {
                throw new ImageFormatException(path, "no DICOM files in this folder");
            }
            if (series.size() > 1) {
                List<String> names = new ArrayList<>();
                series.forEach((uid, files) -> names.add(uid + " (" + files.get(0).file().getFileName()
                        + (files.size() > 1 ? " and " + (files.size() - 1) + " more" : "") + ")"));
                throw new ImageFormatException(path, "the folder holds " + series.size() + " DICOM series; open a file of one of them: "
                        + String.join(", ", names));
            }
            members = series.values().iterator().next();
        } else {
            DicomFile.Header own = DicomFile.peek(path);
            members = scanned(path.toAbsolutePath().getParent()).getOrDefault(own.seriesUid(), List.of(own));
        }
        return new DicomSlide(path, openLevels(path, members));
    }

    /** A folder's series as last scanned, while the folder is unchanged: a cohort folder of many series is scanned once, not once per slide. */
    private record Scan(FileTime modified, Map<String, List<DicomFile.Header>> series) {}

    private static final Map<Path, Scan> SCANS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Scan> eldest) {
            return size() > 16;
        }
    };

    private static Map<String, List<DicomFile.Header>> scanned(Path folder) throws IOException {
        FileTime modified = Files.getLastModifiedTime(folder);
        synchronized (SCANS) {
            Scan last = SCANS.get(folder);
            if (last != null && last.modified().equals(modified)) {
                return last.series();
            }
        }
        Map<String, List<DicomFile.Header>> series = scan(folder);
        synchronized (SCANS) {
            SCANS.put(folder, new Scan(modified, series));
        }
        return series;
    }

    /** The DICOM files of {@code folder} by series (file name order); unreadable ones are left out with a warning. */
    private static Map<String, List<DicomFile.Header>> scan(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        Map<String, List<DicomFile.Header>> series = new LinkedHashMap<>();
        for (Path f : files) {
            try {
                if (DicomFile.isDicom(f)) {
                    DicomFile.Header h = DicomFile.peek(f);
                    series.computeIfAbsent(h.seriesUid(), k -> new ArrayList<>()).add(h);
                }
            } catch (IOException e) {
                LOG.warn("{}: skipped while gathering the DICOM series: {}", f, e.getMessage());
            }
        }
        return series;
    }

    /** Opens the VOLUME images of a series, largest first; images of the same size after the first are left out. */
    private static List<Level> openLevels(Path path, List<DicomFile.Header> members) throws IOException {
        String uid = members.get(0).seriesUid();
        Set<String> found = new TreeSet<>();
        List<Level> levels = new ArrayList<>();
        try {
            for (DicomFile.Header h : members) {
                found.add(h.flavour().isEmpty() ? "no ImageType" : h.flavour());
                if (h.flavour().equals("VOLUME")) {
                    levels.add(openLevel(h.file()));
                }
            }
            if (levels.isEmpty()) {
                throw new ImageFormatException(path, "DICOM series " + uid + " has no VOLUME image (found " + String.join(", ", found)
                        + ")");
            }
            levels.sort(Comparator.comparingInt((Level l) -> l.image().width()).reversed());
            List<Level> kept = new ArrayList<>();
            Set<Integer> widths = new HashSet<>();
            for (Level l : levels) {
                if (widths.add(l.image().width())) {
                    kept.add(l);
                } else {
                    LOG.info("{}: same size as another VOLUME image of series {} (another focal plane or optical path?); not read",
                            l.image().file(), uid);
                    l.ch().close();
                }
            }
            LOG.debug("{}: DICOM series {} with {} levels", path, uid, kept.size());
            return List.copyOf(kept);
        } catch (IOException | RuntimeException e) {
            for (Level l : levels) {
                l.ch().close();
            }
            throw e;
        }
    }

    private static Level openLevel(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            DicomImage image = DicomImage.of(DicomFile.read(file, ch));
            if (image.source().data().has(DicomTags.CONCATENATION_UID)) {
                throw new ImageFormatException(file, "a concatenation part (a level split over several files); concatenations are"
                        + " not supported");
            }
            if (image.photometric().equals("MONOCHROME2")) {
                LOG.info("{}: greyscale image, read as RGB with R = G = B", file);
            }
            return new Level(image, new DicomFrames(image, ch), ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** {@code files} with one file per DICOM series (the first met); other files stay as they are, in order. */
    static List<Path> distinct(List<Path> files) {
        Set<String> seen = new HashSet<>();
        List<Path> out = new ArrayList<>();
        for (Path f : files) {
            try {
                if (Files.isRegularFile(f) && DicomFile.isDicom(f)) {
                    String series = f.toAbsolutePath().normalize().getParent() + "\n" + DicomFile.peek(f).seriesUid();
                    if (!seen.add(series)) {
                        continue;
                    }
                }
            } catch (IOException e) {
                LOG.debug("{}: not grouped by DICOM series: {}", f, e.getMessage());
            }
            out.add(f);
        }
        return out;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public int levels() {
        return levels.size();
    }

    @Override
    public int width(int level) {
        return levels.get(level).image().width();
    }

    @Override
    public int height(int level) {
        return levels.get(level).image().height();
    }

    @Override
    public double downsample(int level) {
        return ((double) width(0) / width(level) + (double) height(0) / height(level)) / 2;
    }

    @Override
    public OptionalDouble mpp() {
        return levels.get(0).image().mpp();
    }

    /** Decodes each frame under the rectangle that holds a sampled pixel; missing frames and the outside stay white. */
    @Override
    public RgbImage read(int level, int x, int y, int w, int h, int step) throws IOException {
        Level l = levels.get(level);
        DicomImage im = l.image();
        SampledRegion r = new SampledRegion(x, y, w, h, step);
        long x1 = Math.min((long) x + w, im.width());
        long y1 = Math.min((long) y + h, im.height());
        int fw = im.frameWidth();
        int fh = im.frameHeight();
        for (long top = Math.max(y, 0) / fh * fh; top < y1; top += fh) {
            if (r.firstSample(Math.max(top, y), y) >= Math.min(top + fh, y1)) {
                continue;
            }
            for (long left = Math.max(x, 0) / fw * fw; left < x1; left += fw) {
                if (r.firstSample(Math.max(left, x), x) >= Math.min(left + fw, x1)) {
                    continue;
                }
                int frame = im.frameAt((int) (left / fw), (int) (top / fh));
                if (frame >= 0) {
                    BufferedImage img = cache.get(level, frame, () -> l.frames().decode(frame));
                    // edge frames are padded past the image; the padding must not show
                    int vw = (int) Math.min(fw, im.width() - left);
                    int vh = (int) Math.min(fh, im.height() - top);
                    Pixels.copy(vw < fw || vh < fh ? img.getSubimage(0, 0, vw, vh) : img, (int) left, (int) top, 1, r);
                }
            }
        }
        return r.image();
    }

    @Override
    public void close() throws IOException {
        cache.clear();
        IOException first = null;
        for (Level l : levels) {
            try {
                l.ch().close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
