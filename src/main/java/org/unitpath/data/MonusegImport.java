package org.unitpath.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.unitpath.io.AtomicFiles;
import org.unitpath.io.Stems;
import org.unitpath.io.aperio.AperioCoco;
import org.unitpath.io.aperio.AperioXml;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoDataset;
import org.unitpath.io.coco.CocoImage;
import org.unitpath.io.slide.Slide;
import org.unitpath.io.slide.Slides;

/**
 * MoNuSeg (or any Aperio ImageScope XML) annotations as a COCO dataset: {@code OUT/images/<file>}
 * (the image bytes unchanged) and {@code OUT/annotations.json} (image ids 1..n in stem order).
 * Images and XML files are matched by stem; one without the other is an error, so that a
 * typo in a file name never silently drops an image from a split.
 */
public final class MonusegImport {
    static final Set<String> IMAGE_EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg");
    /** Folder pairs tried in order: MoNuSeg's zip (with a space or, as re-hosted copies have it, an underscore), lower case. */
    private static final String[][] LAYOUTS = {{"Tissue Images", "Annotations"}, {"Tissue_Images", "Annotations"},
            {"images", "annotations"}};

    private MonusegImport() {}

    /** One image and its annotation file. */
    public record Pair(String stem, Path image, Path xml) {}

    /** What one image gave: Regions read, polygons skipped as degenerate, and where its µm/px came from. */
    public record ImageReport(String stem, String fileName, int regions, int skipped, OptionalDouble mpp, String mppSource) {}

    public record Result(CocoDataset dataset, List<ImageReport> images) {
        public int regions() {
            return images.stream().mapToInt(ImageReport::regions).sum();
        }

        public int skipped() {
            return images.stream().mapToInt(ImageReport::skipped).sum();
        }
    }

    /** The image and XML pairs under {@code src}, in stem order, after {@code include} (all when empty) and {@code exclude}. */
    public static List<Pair> pairs(Path src, Set<String> include, Set<String> exclude) throws IOException {
        if (!Files.isDirectory(src)) {
            throw new IllegalArgumentException(src + ": not a folder (expected MoNuSeg's 'Tissue Images/' + 'Annotations/', "
                    + "'images/' + 'annotations/', or images and .xml files side by side)");
        }
        Path imageDir = src;
        Path xmlDir = src;
        for (String[] l : LAYOUTS) {
            if (Files.isDirectory(src.resolve(l[0])) && Files.isDirectory(src.resolve(l[1]))) {
                imageDir = src.resolve(l[0]);
                xmlDir = src.resolve(l[1]);
                break;
            }
        }
        Map<String, Path> images = byStem(imageDir, IMAGE_EXTENSIONS);
        Map<String, Path> xmls = byStem(xmlDir, Set.of("xml"));
        if (xmls.isEmpty()) {
            throw new IllegalArgumentException(xmlDir + ": no .xml annotation files");
        }
        Set<String> known = new TreeSet<>(images.keySet());
        known.addAll(xmls.keySet());
        for (Set<String> named : List.of(include, exclude)) {
            List<String> unknown = named.stream().filter(s -> !known.contains(s)).sorted().toList();
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(src + ": no image or XML named " + String.join(", ", unknown));
            }
        }
        List<Pair> out = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (String stem : known) {
            if ((!include.isEmpty() && !include.contains(stem)) || exclude.contains(stem)) {
                continue;
            }
            if (!images.containsKey(stem) || !xmls.containsKey(stem)) {
                unmatched.add(images.containsKey(stem) ? images.get(stem) + " has no XML in " + xmlDir
                        : xmls.get(stem) + " has no image in " + imageDir);
                continue;
            }
            out.add(new Pair(stem, images.get(stem), xmls.get(stem)));
        }
        if (!unmatched.isEmpty()) {
            throw new IllegalArgumentException(unmatched.size() + " unmatched file(s): " + String.join("; ", unmatched.subList(0,
                    Math.min(5, unmatched.size()))) + (unmatched.size() > 5 ? "; ..." : "") + " (--exclude leaves them out)");
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(src + ": --include / --exclude leave no image to import");
        }
        return out;
    }

    /** Converts the pairs (ids in list order) without writing anything. */
    public static Result convert(List<Pair> pairs) throws IOException {
        List<CocoImage> images = new ArrayList<>();
        List<CocoAnnotation> annotations = new ArrayList<>();
        List<ImageReport> reports = new ArrayList<>();
        for (Pair p : pairs) {
            AperioXml xml = AperioXml.read(p.xml());
            int width;
            int height;
            OptionalDouble tiffMpp;
            try (Slide s = Slides.open(p.image())) {
                width = s.width(0);
                height = s.height(0);
                tiffMpp = s.mpp();
            }
            OptionalDouble mpp = xml.micronsPerPixel().isPresent() ? xml.micronsPerPixel() : tiffMpp;
            String source = xml.micronsPerPixel().isPresent() ? "XML" : tiffMpp.isPresent() ? "image" : "unknown";
            String fileName = p.image().getFileName().toString();
            CocoImage image = new CocoImage(images.size() + 1, fileName, width, height, mpp);
            AperioCoco.Converted c = AperioCoco.convert(xml, image, annotations.size() + 1);
            images.add(image);
            annotations.addAll(c.annotations());
            reports.add(new ImageReport(p.stem(), fileName, c.regions(), c.skipped(), mpp, source));
        }
        return new Result(new CocoDataset(images, List.of(AperioCoco.NUCLEUS), annotations), reports);
    }

    /** Copies the images to {@code out/images/} and writes {@code out/annotations.json}, each file atomically. */
    public static Result write(List<Pair> pairs, Path out) throws IOException {
        Result r = convert(pairs);
        Path images = Files.createDirectories(out.resolve("images"));
        for (Pair p : pairs) {
            AtomicFiles.write(images.resolve(p.image().getFileName()), false, o -> Files.copy(p.image(), o));
        }
        r.dataset().write(out.resolve("annotations.json"));
        return r;
    }

    private static Map<String, Path> byStem(Path dir, Set<String> extensions) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (name.startsWith(".") || dot < 0 || !extensions.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
                    continue;
                }
                Path other = out.put(Stems.of(name), f);
                if (other != null) {
                    throw new IllegalArgumentException(other + " and " + f + " have the same name '" + Stems.of(name)
                            + "'; keep one");
                }
            }
        }
        return out;
    }
}
