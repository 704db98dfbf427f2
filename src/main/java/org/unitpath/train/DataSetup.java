package org.unitpath.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.unitpath.data.CycleDataset;
import org.unitpath.data.CycleLoader;
import org.unitpath.data.CycleSample;
import org.unitpath.data.DatasetFiles;
import org.unitpath.data.ScaleSpec;
import org.unitpath.masks.MaskFormat;

/** Builds the unpaired dataset and loader of a run from its settings. */
final class DataSetup {
    private DataSetup() {}

    static CycleLoader loader(PretrainSettings st, int rank, int world, long seed) throws IOException {
        List<ScaleSpec> scales = st.scales().stream().map(ScaleSpec::parse).toList();
        int size = scales.get(0).size();
        for (ScaleSpec s : scales) {
            if (s.size() != size) {
                throw new IllegalArgumentException("CYCLE.SCALES must share one output size, got " + st.scales());
            }
        }
        List<DatasetFiles.Tile> a = DatasetFiles.list(st.datasetRoot(), st.datasetA(), scales, st.seed());
        List<DatasetFiles.Tile> b = DatasetFiles.list(st.datasetRoot(), st.datasetB(), scales, st.seed() + 1);
        String folderA = st.datasetA().replaceFirst("-\\d+$", "");
        CycleDataset ds = new CycleDataset(a, b, st.datasetRoot().resolve(folderA).resolve("cell_mask"), size, st.guide(),
                MaskFormat.parse(st.maskFormat()), st.augment(), st.strictData(), st.maxRetries());
        return new CycleLoader(ds, st.batchPerProcess(), seed, Math.max(1, st.workers()), Math.max(1, st.prefetch()), rank, world);
    }

    /** The fixed evaluation pairs for sample grids and quality signals. */
    static List<CycleSample> evalSet(CycleLoader loader, int images) throws IOException {
        List<CycleSample> out = new ArrayList<>();
        while (out.size() < images) {
            out.addAll(loader.next());
        }
        return out.subList(0, images);
    }
}
