package org.unitpath.eval;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.InstanceMap;
import org.unitpath.io.InstanceMapFiles;
import org.unitpath.io.Stems;
import org.unitpath.io.aperio.AperioCoco;
import org.unitpath.io.aperio.AperioXml;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoDataset;
import org.unitpath.io.coco.CocoImage;

/**
 * Pairs ground-truth and prediction images given as folders of instance maps, single map
 * files, COCO instance files, (predictions only) COCO detection result arrays or (ground truth
 * only) Aperio ImageScope XML files, converted as {@code unitpath import monuseg} converts them
 * and sized as their predictions, since the XML has no image size. Images are
 * matched by file name without extension; images present on one side only are an error unless
 * {@code allowMissing} skips them. An image of a COCO prediction file (or, for a results array,
 * any ground-truth image) without detections is an empty prediction, not a missing one.
 */
public final class EvaluationInputs {
    private EvaluationInputs() {}

    /** How predictions become instance maps, and the optional class tables of map files. */
    public record Options(double scoreThreshold, boolean allowMissing, Path truthClasses, Path predClasses) {}

    /** One matched image, read on demand so that a large dataset need not sit in memory. */
    public interface Pending {
        String name();

        /** pycocotools' image id: the ground truth's COCO id, or the position in name order. */
        long id();

        Evaluation.Item load() throws IOException;
    }

    /** The matched images in id order, and the names skipped with {@code allowMissing}. */
    public record Matched(List<Pending> images, List<String> skipped) {}

    /** A side's images by name, each with the file it comes from (for messages) and how to read it. */
    private interface Side {
        Map<String, Path> files();

        Truth truth(String name) throws IOException;

        Prediction prediction(String name, double scoreThreshold) throws IOException;
    }

    public static Matched match(Path truthPath, Path predPath, Options o) throws IOException {
        Side truth = side(truthPath, null, o.truthClasses());
        Side pred = side(predPath, truth, o.predClasses());
        List<String> onlyTruth = new ArrayList<>(truth.files().keySet());
        onlyTruth.removeAll(pred.files().keySet());
        List<String> onlyPred = new ArrayList<>(pred.files().keySet());
        onlyPred.removeAll(truth.files().keySet());
        boolean singleFiles = truth.files().size() == 1 && pred.files().size() == 1 && !Files.isDirectory(truthPath)
                && !Files.isDirectory(predPath);
        if (singleFiles && !onlyTruth.isEmpty()) {
            return new Matched(List.of(pending(onlyTruth.get(0), 1, truth, onlyPred.get(0), pred, o)), List.of());
        }
        if (!o.allowMissing() && (!onlyTruth.isEmpty() || !onlyPred.isEmpty())) {
            throw new IllegalArgumentException(missing(onlyTruth, "ground-truth image", truthPath, predPath)
                    + missing(onlyPred, "predicted image", predPath, truthPath) + "(--allow-missing skips them)");
        }
        List<String> skipped = new ArrayList<>(onlyTruth);
        skipped.addAll(onlyPred);
        List<Pending> out = new ArrayList<>();
        long position = 0;
        for (String name : truth.files().keySet()) {
            if (pred.files().containsKey(name)) {
                long id = truth instanceof CocoSide c ? c.images.get(name).id()
                        : truth instanceof XmlSide x ? x.ids().get(name) : ++position;
                out.add(pending(name, id, truth, name, pred, o));
            }
        }
        out.sort(Comparator.comparingLong(Pending::id));
        return new Matched(List.copyOf(out), List.copyOf(skipped));
    }

    private static Pending pending(String name, long id, Side truth, String predName, Side pred, Options o) {
        return new Pending() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long id() {
                return id;
            }

            @Override
            public Evaluation.Item load() throws IOException {
                Prediction p = pred.prediction(predName, o.scoreThreshold());
                Truth t = truth instanceof XmlSide x ? x.truth(name, p.map().width(), p.map().height()) : truth.truth(name);
                if (t.map().width() != p.map().width() || t.map().height() != p.map().height()) {
                    throw new IllegalArgumentException(name + ": the ground truth (" + truth.files().get(name) + ") is "
                            + t.map().width() + "x" + t.map().height() + " but the prediction (" + pred.files().get(predName)
                            + ") is " + p.map().width() + "x" + p.map().height());
                }
                return new Evaluation.Item(name, t, p);
            }
        };
    }

    private static String missing(List<String> names, String what, Path in, Path notIn) {
        if (names.isEmpty()) {
            return "";
        }
        List<String> sorted = names.stream().sorted().toList();
        String list = String.join(", ", sorted.subList(0, Math.min(5, sorted.size()))) + (sorted.size() > 5 ? ", ..." : "");
        return sorted.size() + " " + what + (sorted.size() == 1 ? "" : "s") + " in " + in + " with no counterpart in "
                + notIn + ": " + list + "; ";
    }

    private static Side side(Path path, Side truth, Path classes) throws IOException {
        if (XmlSide.claims(path)) {
            if (truth != null) {
                throw new IllegalArgumentException(path + ": Aperio XML annotations are read as ground truth only; "
                        + "give them as --truth (or import them with 'unitpath import monuseg')");
            }
            if (classes != null) {
                throw new IllegalArgumentException(path + ": XML annotations have one class (nucleus); drop the class table");
            }
            return XmlSide.of(path);
        }
        if (Files.isDirectory(path)) {
            return new MapSide(mapFiles(path), classes == null ? null : ClassTable.read(classes));
        }
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            if (classes != null) {
                throw new IllegalArgumentException(path + ": a COCO file carries its own categories; drop the class table");
            }
            if (firstSymbol(path) != '[') {
                return new CocoSide(CocoDataset.read(path), path);
            }
            if (truth == null) {
                throw new IllegalArgumentException(path + ": the ground truth must be a COCO instance file (an object with "
                        + "'images' and 'annotations'), not a detection results array");
            }
            if (!(truth instanceof CocoSide t)) {
                throw new IllegalArgumentException(path + ": a detection results array names images by id only; "
                        + "give the ground truth as the COCO file those ids refer to");
            }
            return CocoSide.results(t, CocoDataset.readResults(path), path);
        }
        if (!InstanceMapFiles.readable(path)) {
            throw new ImageFormatException(path, "expected a folder, an instance map (.npy .png .tif .tiff), a COCO .json "
                    + "or (ground truth) an Aperio .xml");
        }
        return new MapSide(Map.of(Stems.ofInstanceMap(path.getFileName().toString()), path),
                classes == null ? null : ClassTable.read(classes));
    }

    /** The first non-blank character: '[' opens a results array, '{' a dataset. */
    private static int firstSymbol(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int c;
            do {
                c = r.read();
            } while (c != -1 && (Character.isWhitespace(c) || c == '\uFEFF'));
            return c;
        }
    }

    private static Map<String, Path> mapFiles(Path dir) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(InstanceMapFiles::readable).sorted().toList()) {
                Path other = out.put(Stems.ofInstanceMap(f.getFileName().toString()), f);
                if (other != null) {
                    throw new IllegalArgumentException(other + " and " + f + " are both image '"
                            + Stems.ofInstanceMap(f.getFileName().toString()) + "'; keep one");
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no instance maps (.npy .png .tif .tiff) in this folder");
        }
        return out;
    }

    /** Instance-map files; classes from a class table when given. */
    private record MapSide(Map<String, Path> files, ClassTable classes) implements Side {
        private InstanceMap map(String name) throws IOException {
            return InstanceMapFiles.read(files.get(name));
        }

        @Override
        public Truth truth(String name) throws IOException {
            InstanceMap m = map(name);
            return Truth.of(m, classes == null ? null : classes.classesOf(name, m));
        }

        @Override
        public Prediction prediction(String name, double scoreThreshold) throws IOException {
            InstanceMap m = map(name);
            return Prediction.of(m, classes == null ? null : classes.classesOf(name, m));
        }
    }

    /** A COCO instance file (ground truth, or predictions with or without scores). */
    private static final class CocoSide implements Side {
        final Map<String, CocoImage> images = new TreeMap<>();
        final Map<Long, List<CocoAnnotation>> annotations;
        final Map<String, Path> files = new TreeMap<>();
        /** Whether the annotations carry scores: then they are detections, as a whole file. */
        final boolean scored;

        CocoSide(CocoDataset d, Path file) {
            this(d.images(), d.annotationsByImage(), file, false);
        }

        private CocoSide(List<CocoImage> imgs, Map<Long, List<CocoAnnotation>> annotations, Path file, boolean results) {
            List<CocoAnnotation> all = annotations.values().stream().flatMap(List::stream).toList();
            scored = results || all.stream().anyMatch(a -> a.score().isPresent());
            if (scored) {
                all.stream().filter(a -> a.score().isEmpty()).findFirst().ifPresent(a -> {
                    throw new IllegalArgumentException(file + ": annotation " + a.id()
                            + " has no 'score' while others have one; give every detection a score");
                });
            }
            for (CocoImage i : imgs) {
                if (images.put(i.stem(), i) != null) {
                    throw new IllegalArgumentException(file + ": two images are named '" + i.stem() + "'");
                }
                files.put(i.stem(), file);
            }
            this.annotations = annotations;
        }

        /** Results name images by id: they take the ground truth's images, each with its detections (possibly none). */
        static CocoSide results(CocoSide truth, List<CocoAnnotation> detections, Path file) {
            Map<Long, List<CocoAnnotation>> byImage = new TreeMap<>();
            truth.images.values().forEach(i -> byImage.put(i.id(), new ArrayList<>()));
            for (CocoAnnotation d : detections) {
                List<CocoAnnotation> list = byImage.get(d.imageId());
                if (list == null) {
                    throw new IllegalArgumentException(file + ": detection " + d.id() + " refers to image_id " + d.imageId()
                            + ", which the ground truth does not have");
                }
                list.add(d);
            }
            return new CocoSide(List.copyOf(truth.images.values()), byImage, file, true);
        }

        @Override
        public Map<String, Path> files() {
            return files;
        }

        private List<CocoAnnotation> of(String name) {
            return annotations.getOrDefault(images.get(name).id(), List.of());
        }

        @Override
        public Truth truth(String name) {
            return Truth.ofCoco(images.get(name), of(name));
        }

        @Override
        public Prediction prediction(String name, double scoreThreshold) {
            CocoImage img = images.get(name);
            List<CocoAnnotation> anns = of(name);
            if (!scored) {
                Truth painted = Truth.ofCoco(img, anns);
                return Prediction.of(painted.map(), painted.classes());
            }
            return Prediction.ofDetections(img.width(), img.height(), anns, scoreThreshold);
        }
    }

    /**
     * Aperio ImageScope XML files (a single .xml, or a folder holding .xml files: then those, not
     * its images, are the truth), image ids in name order as the import gives them.
     */
    private record XmlSide(Map<String, Path> files, Map<String, Long> ids) implements Side {
        static boolean claims(Path path) throws IOException {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    return files.anyMatch(XmlSide::isXml);
                }
            }
            return isXml(path);
        }

        private static boolean isXml(Path p) {
            return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml") && !Files.isDirectory(p);
        }

        static XmlSide of(Path path) throws IOException {
            List<Path> xmls;
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    xmls = files.filter(XmlSide::isXml).sorted().toList();
                }
            } else if (Files.isRegularFile(path)) {
                xmls = List.of(path);
            } else {
                throw new NoSuchFileException(path.toString());
            }
            Map<String, Path> files = new TreeMap<>();
            for (Path f : xmls) {
                Path other = files.put(Stems.of(f.getFileName().toString()), f);
                if (other != null) {
                    throw new IllegalArgumentException(other + " and " + f + " are both image '"
                            + Stems.of(f.getFileName().toString()) + "'; keep one");
                }
            }
            Map<String, Long> ids = new TreeMap<>();
            files.keySet().forEach(n -> ids.put(n, ids.size() + 1L));
            return new XmlSide(files, ids);
        }

        Truth truth(String name, int width, int height) throws IOException {
            Path file = files.get(name);
            CocoImage image = new CocoImage(ids.get(name), file.getFileName().toString(), width, height);
            return Truth.ofCoco(image, AperioCoco.convert(AperioXml.read(file), image, 1).annotations());
        }

        @Override
        public Truth truth(String name) {
            throw new IllegalStateException("XML ground truth takes its size from the prediction");
        }

        @Override
        public Prediction prediction(String name, double scoreThreshold) {
            throw new IllegalStateException("XML annotations are ground truth only");
        }
    }
}
