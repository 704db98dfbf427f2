package org.unitpath.infer;

import java.util.List;

/** Names and display colours of S's classes (class index 0 is the first name). */
public record NucleusClasses(List<String> names) {
    // QuPath-like distinct colours; the first is for the single-class case
    private static final int[][] PALETTE = {{200, 0, 0}, {0, 140, 255}, {0, 170, 0}, {230, 160, 0}, {150, 60, 200},
        {0, 180, 180}, {220, 90, 160}, {120, 120, 120}};

    public NucleusClasses {
        if (names.isEmpty() || names.stream().anyMatch(n -> n == null || n.isBlank())) {
            throw new IllegalArgumentException("class names must be non-empty, got " + names);
        }
        names = List.copyOf(names);
    }

    /** "Nucleus" for one class, "Class 1" ... "Class K" otherwise. */
    public static NucleusClasses defaults(int count) {
        if (count == 1) {
            return new NucleusClasses(List.of("Nucleus"));
        }
        return new NucleusClasses(java.util.stream.IntStream.rangeClosed(1, count).mapToObj(i -> "Class " + i).toList());
    }

    public String name(int category) {
        if (category < 0 || category >= names.size()) {
            throw new IllegalArgumentException("class index " + category + " outside the " + names.size() + " classes " + names);
        }
        return names.get(category);
    }

    public int[] color(int category) {
        return PALETTE[category % PALETTE.length].clone();
    }
}
