package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private static PretrainSettings resolve(String... overrides) {
        List<String> o = new java.util.ArrayList<>(List.of("SOLVER.IMS_PER_BATCH", "8"));
        o.addAll(List.of(overrides));
        return SettingsFromConfig.resolve(Config.fromDefaults(o), 1);
    }

    /** StyleGAN2-ADA's cfg_specs['paper256'] and StyleGAN2Loss defaults, as the paper's BASE_CONFIG. */
    @Test
    void thePaper256RegularisersAreTheDefaults() {
        PretrainSettings st = resolve();
        assertEquals(2.0, st.plWeight(), "pl_weight");
        assertEquals(4, st.plInterval(), "G_reg_interval");
        assertEquals(0.9, st.styleMixing(), "style_mixing_prob");
        assertEquals(20.0, st.emaKimg(), "ema (kimg) of paper256");
        assertTrue(st.pathLength() && st.lazyR1());
        assertEquals(16, st.r1Interval(), "D_reg_interval");
        assertEquals(8, st.stylegan().mbstdGroup());
        assertEquals(8, st.stylegan().mappingLayers());
        assertEquals(16384, st.stylegan().channelBase(), "fmaps 0.5 x 32768");
        assertFalse(resolve("CYCLE.G_AB", "ResNet").pathLength(), "path length needs StyleGAN's ws");
    }

    @Test
    void theLegacyLoopKeysReachTheSettings() {
        PretrainSettings off = resolve();
        assertFalse(off.identity() || off.gpA() || off.gpB());
        assertEquals(1, off.critic());
        PretrainSettings st = resolve("CYCLE.G_AB", "ResNet", "CYCLE.IDENTITY", "B", "CYCLE.LAMBDA_IDENTITY", "2.5",
                "CYCLE.LAMBDA_GP", "4", "CYCLE.GP_A", "True", "CYCLE.GP_B", "True", "CYCLE.CRITIC_DISCRIMINATOR", "3",
                "STYLEGAN.PL_WEIGHT", "0.5", "STYLEGAN.PL_INTERVAL", "8", "STYLEGAN.STYLE_MIXING", "0.25", "STYLEGAN.EMA_KIMG", "5");
        assertTrue(st.identity() && st.gpA() && st.gpB());
        assertEquals(2.5, st.lambdaIdentity());
        assertEquals(4.0, st.lambdaGp());
        assertEquals(3, st.critic());
        assertTrue(!st.generatorStepAt(0) && !st.generatorStepAt(1) && st.generatorStepAt(2), "(iteration + 1) % critic == 0");
        assertEquals(0.5, st.plWeight());
        assertEquals(8, st.plInterval());
        assertEquals(0.25, st.styleMixing());
        assertEquals(5.0, st.emaKimg());
    }

    @Test
    void keysThatCannotApplyAreRejectedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> resolve("CYCLE.IDENTITY", "False"));
        assertTrue(e.getMessage().startsWith("CYCLE.IDENTITY ") && !e.getMessage().contains("\n"), e.getMessage());
        var gp = assertThrows(IllegalArgumentException.class, () -> resolve("CYCLE.GP_B", "True"));
        assertTrue(gp.getMessage().startsWith("CYCLE.GP_B ") && gp.getMessage().contains("R1_GAMMA"), gp.getMessage());
        assertTrue(resolve("CYCLE.GP_A", "True").gpA(), "D_S is a PatchGAN in both variants");
    }
}
