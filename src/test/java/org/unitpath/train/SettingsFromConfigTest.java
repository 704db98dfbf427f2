package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unitpath.config.Config;

/** The batch split over processes, checked before any network is built. */
class SettingsFromConfigTest {
    private static Config batch(int n, String generator) {
        return Config.fromDefaults(List.of("SOLVER.IMS_PER_BATCH", Integer.toString(n), "CYCLE.G_AB", generator));
    }

    @Test
    void thePerProcessBatchMustFitTheMinibatchStdGroups() {
        var e = assertThrows(IllegalArgumentException.class, () -> SettingsFromConfig.resolve(batch(12, "StyleGAN"), 1));
        assertTrue(e.getMessage().startsWith("SOLVER.IMS_PER_BATCH 12 on 1 process(es) gives 12 images per process")
                && e.getMessage().contains("--nproc"), e.getMessage());
        assertEquals(6, SettingsFromConfig.resolve(batch(12, "StyleGAN"), 2).batchPerProcess());
        assertEquals(4, SettingsFromConfig.resolve(batch(12, "StyleGAN"), 3).batchPerProcess());
        assertEquals(16, SettingsFromConfig.resolve(batch(16, "StyleGAN"), 1).batchPerProcess());
        assertEquals(12, SettingsFromConfig.resolve(batch(12, "ResNet"), 1).batchPerProcess(), "PatchGAN has no minibatch std");
        var odd = assertThrows(IllegalArgumentException.class, () -> SettingsFromConfig.resolve(batch(12, "StyleGAN"), 5));
        assertTrue(odd.getMessage().contains("not divisible by the 5 processes"), odd.getMessage());
    }
}
