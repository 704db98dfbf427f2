package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.unitpath.config.Config;

/**
 * No config key is accepted and then never used: every key is read by a settings builder, or is
 * FIXED (only its default is implemented, anything else is refused) or IGNORED (listed with a
 * reason, and reported when a config sets it). Settings fields that no code uses count as unread.
 */
class ConfigKeysReadTest {
    /** Every settings object the program builds from a config, built through one recording config each. */
    private static Set<String> keysReadBySettings() {
        Set<String> read = new HashSet<>();
        Config pretraining = Config.defaults().recordingReads();
        SettingsFromConfig.resolve(pretraining, 2);
        read.addAll(pretraining.keysRead());
        Config finetuning = Config.fromDefaults(List.of("MODEL.META_ARCHITECTURE", "PanopticFPN", "INPUT.CROP.TYPE", "absolute",
                "INPUT.CROP.SIZE", "[256, 256]", "DATASETS.TRAIN_JSON", "t.json", "DATASETS.TRAIN_IMAGES", "t",
                "DATASETS.TEST_JSON", "v.json", "DATASETS.TEST_IMAGES", "v")).recordingReads();
        SegFinetuneSettings.from(finetuning);
        read.addAll(finetuning.keysRead());
        return read;
    }

    @Test
    void everyKeyIsReadFixedOrIgnoredWithAReason() {
        Set<String> read = keysReadBySettings();
        Map<String, String> ignored = Config.ignoredKeys();
        Map<String, String> fixed = Config.fixedKeys();
        List<String> unread = new ArrayList<>();
        for (String key : Config.keys()) {
            if (!read.contains(key) && !ignored.containsKey(key) && !fixed.containsKey(key)) {
                unread.add(key);
            }
        }
        assertEquals(List.of(), unread, "keys accepted but read by no settings builder: implement them, refuse values other "
                + "than the default (FIXED) or list them as IGNORED with a reason");
        for (String key : ignored.keySet()) {
            assertFalse(read.contains(key), key + " is listed as ignored but a settings builder reads it");
            assertFalse(ignored.get(key).isBlank(), key + " needs a reason");
        }
        fixed.forEach((key, note) -> assertFalse(note.isBlank(), key + " needs to say what unitpath implements"));
    }

    @Test
    void fixedKeysRefuseEveryOtherValueNamingTheKeyAndWhatIsSupported() {
        Config defaults = Config.defaults();
        for (String key : Config.fixedKeys().keySet()) {
            String other = otherValue(defaults.get(key));
            var e = assertThrows(IllegalArgumentException.class, () -> Config.fromDefaults(List.of(key, other)), key);
            assertTrue(e.getMessage().startsWith(key + " on the command line: ") && e.getMessage().contains("is not supported: ")
                    && e.getMessage().contains("(supported: ") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    private static String otherValue(Object v) {
        if (v == null) {
            return "3";
        }
        if (v instanceof Boolean b) {
            return Boolean.toString(!b);
        }
        if (v instanceof Integer i) {
            return Integer.toString(i + 1);
        }
        if (v instanceof List<?> list) {
            return "[" + (list.isEmpty() ? "x" : String.join(", ", list.subList(1, list.size()).stream().map(Object::toString).toList()))
                    + "]";
        }
        return "something_else";
    }

    @Test
    void configsThatSetIgnoredKeysListThemOnce() {
        Config c = Config.fromDefaults(List.of("CYCLE.LOG_INTERVAL", "50", "DATASETS.TRAIN", "(\"nucleus_train\",)"));
        assertEquals(Map.of("CYCLE.LOG_INTERVAL", 50, "DATASETS.TRAIN", List.of("nucleus_train")), c.ignoredSettings());
        assertEquals("config keys without effect in unitpath (see `unitpath config show`): CYCLE.LOG_INTERVAL 50, "
                + "DATASETS.TRAIN [nucleus_train]", c.ignoredSummary());
        assertEquals("", Config.defaults().ignoredSummary(), "keys at their defaults are not listed");
    }

    /** A settings field nobody reads is a key read into the void: search the sources for each accessor. */
    @Test
    void everySettingsFieldIsUsed() throws IOException {
        String sources = mainSources();
        List<String> unused = new ArrayList<>();
        for (Class<?> settings : List.of(PretrainSettings.class, SegFinetuneSettings.class)) {
            String own = Files.readString(Path.of("src/main/java/org/unitpath/train/" + settings.getSimpleName() + ".java"));
            String body = own.substring(own.indexOf('{'));
            for (RecordComponent rc : settings.getRecordComponents()) {
                String name = rc.getName();
                boolean used = sources.contains("." + name + "()") || Pattern.compile("\\b" + name + "\\b").matcher(body).find();
                if (!used) {
                    unused.add(settings.getSimpleName() + "." + name);
                }
            }
        }
        assertEquals(List.of(), unused, "settings fields that no code reads");
    }

    private static String mainSources() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                sb.append(Files.readString(f)).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void theIgnoredAndFixedListsAreTheDocumentedOnes() {
        assertEquals(new TreeSet<>(List.of("CYCLE.LAMBDA_MRCNN_GLAND", "CYCLE.LOG_INTERVAL", "STYLEGAN.KIMG_PER_TICK",
                "STYLEGAN.METRICS", "DATASETS.TRAIN", "DATASETS.TEST", "TEST.AUG.MIN_SIZES", "TEST.AUG.MAX_SIZE", "TEST.AUG.FLIP")),
                new TreeSet<>(Config.ignoredKeys().keySet()));
        assertEquals(new TreeSet<>(List.of("VERSION", "CYCLE.AB_SCRATCH", "CYCLE.MULTITASK", "CYCLE.R_VISIBLE_TO_G_AB",
                "CYCLE.AUGMENT_G_AB", "CYCLE.MRCNN_MAX_REPEAT", "CYCLE.DATA_FILTER_REPEAT", "STYLEGAN.AUG_PIPE", "STYLEGAN.FP32",
                "STYLEGAN.FREEZED", "MODEL.MASK_ON", "MODEL.LOAD_PROPOSALS", "MODEL.BACKBONE.NAME", "MODEL.FPN.IN_FEATURES",
                "MODEL.RPN.IN_FEATURES", "MODEL.ROI_HEADS.NAME", "MODEL.ROI_HEADS.IN_FEATURES", "MODEL.ROI_BOX_HEAD.NAME",
                "MODEL.ROI_MASK_HEAD.NAME", "MODEL.SEM_SEG_HEAD.NAME", "MODEL.GBA.OUT_CHANNEL", "TEST.AUG.ENABLED")),
                new TreeSet<>(Config.fixedKeys().keySet()));
    }
}
