package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/** Style mixing as SG2ADA's run_G: a per-batch cutoff in 1..numWs-1, the second latent's ws after it. */
class StyleMixingTest {
    private static boolean rowsEqual(Tensor a, Tensor b) {
        return Tensors.maxAbsDiff(a, b) == 0;
    }

    @Test
    void withProbabilityOneTheWsAfterACutoffComeFromASecondLatent() {
        CoModGenerator g = new CoModGenerator(StyleGanTest.tiny(64));
        int numWs = g.config.numWs();
        Set<Long> cutoffs = new HashSet<>();
        try (MemoryScope s = MemoryScope.open()) {
            for (int seed = 0; seed < 40; seed++) {
                Torch.seed(seed);
                Tensor z = g.sampleZ(Tensors.zeros(1), 2);
                Tensor mixed = StyleMixing.ws(g, z, 1.0);
                Tensor own = g.mapWs(z, false);
                long cutoff = 0;
                while (cutoff < numWs && rowsEqual(mixed.select(1, (int) cutoff), own.select(1, (int) cutoff))) {
                    cutoff++;
                }
                assertTrue(cutoff >= 1 && cutoff <= numWs - 1, "cutoff " + cutoff);
                Tensor second = mixed.select(1, (int) cutoff);
                for (long i = cutoff; i < numWs; i++) {
                    assertTrue(rowsEqual(mixed.select(1, (int) i), second), "one second latent from the cutoff on");
                }
                assertFalse(rowsEqual(second, own.select(1, (int) cutoff)));
                cutoffs.add(cutoff);
            }
        }
        assertEquals(numWs - 1, cutoffs.size(), "every cutoff 1.." + (numWs - 1) + " occurs: " + cutoffs);
    }

    @Test
    void withProbabilityZeroEveryLayerSharesOneW() {
        CoModGenerator g = new CoModGenerator(StyleGanTest.tiny(64));
        try (MemoryScope s = MemoryScope.open()) {
            Torch.seed(3);
            Tensor z = g.sampleZ(Tensors.zeros(1), 2);
            Tensor ws = StyleMixing.ws(g, z, 0.0);
            for (int i = 1; i < g.config.numWs(); i++) {
                assertTrue(rowsEqual(ws.select(1, i), ws.select(1, 0)));
            }
        }
    }

    @Test
    void mixesAboutAsOftenAsAskedAndOnlyTheFirstLatentMovesTheWAverage() {
        CoModGenerator g = new CoModGenerator(StyleGanTest.tiny(64));
        int numWs = g.config.numWs();
        int mixed = 0;
        try (MemoryScope s = MemoryScope.open()) {
            for (int seed = 0; seed < 200; seed++) {
                Torch.seed(seed);
                Tensor ws = StyleMixing.ws(g, g.sampleZ(Tensors.zeros(1), 1), 0.9);
                if (!rowsEqual(ws.select(1, numWs - 1), ws.select(1, 0))) {
                    mixed++;
                }
            }
            assertTrue(mixed > 160 && mixed < 195, mixed + " of 200 batches mixed at p = 0.9");
            Torch.seed(5);
            Tensor z = g.sampleZ(Tensors.zeros(1), 2);
            CoModGenerator h = new CoModGenerator(StyleGanTest.tiny(64));
            h.loadStateDict(g.stateDict(), true);
            StyleMixing.ws(g, z, 1.0);
            h.mapWs(z, true);
            assertTrue(torch.equal(g.namedBuffers().get("mapping.w_avg"), h.namedBuffers().get("mapping.w_avg")),
                    "the second latent does not update w_avg");
        }
    }
}
