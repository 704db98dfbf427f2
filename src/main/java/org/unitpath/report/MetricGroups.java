package org.unitpath.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Sorts metric names into the report's charts by their prefix: losses of G and S, of the
 * discriminators, of the translation cycles and of Mask R-CNN, then ADA, learning rate, SWD,
 * mask recovery and throughput; names matching none get one chart per prefix (text before the
 * first underscore). Matching is case-sensitive because loss_D (discriminator) and loss_dice differ.
 */
final class MetricGroups {
    /** A chart: its anchor id, title, whether it holds losses (log scale), and its metrics in log order. */
    record Group(String id, String title, boolean loss, List<String> keys) {}

    private record Rule(String id, String title, boolean loss, Predicate<String> matches) {}

    private static final List<Rule> RULES = List.of(
            new Rule("cycle", "Cycle-consistency losses", true, k -> k.contains("cycle")),
            new Rule("disc", "Discriminator losses", true, k -> k.equals("loss_D") || k.startsWith("loss_D_")
                    || k.startsWith("loss_r1") || k.equals("r1") || k.startsWith("r1_") || k.startsWith("D_")),
            new Rule("mrcnn", "Mask R-CNN losses", true, k -> k.startsWith("loss_rpn") || k.startsWith("loss_cls")
                    || k.startsWith("loss_box") || k.startsWith("loss_mask") || k.startsWith("loss_sem_seg")
                    || k.contains("mrcnn")),
            new Rule("gs", "Generator G / segmenter S losses", true, k -> k.startsWith("loss_G") || k.startsWith("loss_S")
                    || k.startsWith("loss_idt") || k.startsWith("loss_pl")),
            new Rule("other-losses", "Other losses", true, k -> k.startsWith("loss")),
            new Rule("ada", "ADA augmentation probability p", false, k -> k.startsWith("ada")),
            new Rule("lr", "Learning rate", false, k -> k.equals("lr") || k.startsWith("lr_") || k.endsWith("_lr")),
            new Rule("swd", "Sliced Wasserstein distance (x1e3)", false, k -> k.startsWith("swd")),
            new Rule("mask", "Mask recovery (Dice / AJI)", false, k -> {
                String l = k.toLowerCase(Locale.ROOT);
                return l.contains("dice") || l.contains("aji");
            }),
            new Rule("speed", "Throughput (images/s)", false, k -> k.equals("images_per_s")));

    /** Rules are tried in {@link #RULES} order (loss_cycle_G is a cycle loss, not a G loss); charts appear in this one. */
    private static final List<String> DISPLAY_ORDER = List.of("gs", "disc", "cycle", "mrcnn", "other-losses", "ada", "lr",
            "swd", "mask", "speed");

    private MetricGroups() {}

    /** The charts for {@code keys} (iteration, time and images are axes, not charts), in report order. */
    static List<Group> of(Collection<String> keys) {
        Map<String, List<String>> byRule = new LinkedHashMap<>();
        for (Rule r : RULES) {
            byRule.put(r.id(), new ArrayList<>());
        }
        Map<String, List<String>> others = new LinkedHashMap<>();
        for (String k : keys) {
            if (k.equals("iter") || k.equals("time") || k.equals("images")) {
                continue;
            }
            Rule rule = RULES.stream().filter(r -> r.matches().test(k)).findFirst().orElse(null);
            if (rule != null) {
                byRule.get(rule.id()).add(k);
            } else {
                int cut = k.indexOf('_');
                others.computeIfAbsent(cut > 0 ? k.substring(0, cut) : k, p -> new ArrayList<>()).add(k);
            }
        }
        List<Group> out = new ArrayList<>();
        for (String id : DISPLAY_ORDER) {
            Rule r = RULES.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
            if (!byRule.get(id).isEmpty()) {
                out.add(new Group(id, r.title(), r.loss(), byRule.get(id)));
            }
        }
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, List<String>> e : others.entrySet()) {
            String id = "other-" + slug(e.getKey());
            for (int n = 2; !ids.add(id); n++) {
                id = "other-" + slug(e.getKey()) + "-" + n;
            }
            out.add(new Group(id, e.getValue().size() == 1 ? e.getValue().get(0) : e.getKey() + "_*", false, e.getValue()));
        }
        return out;
    }

    /** An id-safe form of a name: letters, digits and hyphens. */
    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "x" + Integer.toHexString(name.hashCode()) : s;
    }
}
