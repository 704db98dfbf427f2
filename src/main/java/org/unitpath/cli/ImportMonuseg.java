package org.unitpath.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.data.MonusegImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unitpath import monuseg}: MoNuSeg / Aperio ImageScope XML nucleus outlines as COCO polygons. */
@Command(name = "monuseg", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Import MoNuSeg (Aperio ImageScope XML) nucleus outlines: OUT/images/<file> (bytes unchanged) and "
                + "OUT/annotations.json, COCO instances with one category 'nucleus', each Region a polygon with the XML's "
                + "coordinates, and each image's µm/px as 'mpp' (the XML's MicronsPerPixel, else the image's resolution tags).",
                "SRC holds 'Tissue Images/' (or 'Tissue_Images/') + 'Annotations/', 'images/' + 'annotations/', or images "
                + "and .xml files side by side; they are matched by file name without extension, and an image without XML "
                + "(or XML without image) is an error. Regions with fewer than 3 distinct vertices, no area or no pixel "
                + "are skipped and counted."})
final class ImportMonuseg implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ImportMonuseg.class);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC", description = "The MoNuSeg folder (images and XML annotations).")
    Path src;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write images/ and annotations.json.")
    Path out;

    @Option(names = "--include", split = ",", paramLabel = "STEM", description = "Import only these images (file names without extension).")
    List<String> include = List.of();

    @Option(names = "--exclude", split = ",", paramLabel = "STEM", description = "Leave these images out.")
    List<String> exclude = List.of();

    @Override
    public Integer call() throws Exception {
        Set<String> in = new LinkedHashSet<>(include);
        Set<String> ex = new LinkedHashSet<>(exclude);
        List<MonusegImport.Pair> pairs = MonusegImport.pairs(src, in, ex);
        MonusegImport.Result r = MonusegImport.write(pairs, out);
        PrintWriter w = spec.commandLine().getOut();
        for (MonusegImport.ImageReport i : r.images()) {
            w.printf("%s: %d regions, %d kept, %d skipped, mpp %s%n", i.stem(), i.regions(), i.regions() - i.skipped(),
                    i.skipped(), i.mpp().isPresent() ? i.mpp().getAsDouble() + " (" + i.mppSource() + ")" : "unknown");
            if (i.mpp().isEmpty()) {
                LOG.warn("{}: no MicronsPerPixel in the XML and no resolution in the image; mpp recorded as null", i.stem());
            }
        }
        w.printf("import monuseg: %d images, %d regions, %d polygons kept, %d skipped as degenerate -> %s%n", r.images().size(),
                r.regions(), r.regions() - r.skipped(), r.skipped(), out.resolve("annotations.json"));
        w.flush();
        return ExitCodes.OK;
    }
}
