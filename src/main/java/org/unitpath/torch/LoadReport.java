package org.unitpath.torch;

import java.util.List;

/** What {@link Module#loadStateDict} found: names only in the model, only in the source, or of other shape. */
public record LoadReport(List<String> missing, List<String> unexpected, List<String> mismatched) {
    public LoadReport {
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
        mismatched = List.copyOf(mismatched);
    }

    public boolean isClean() {
        return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
    }

    /** One line per problem class, each listing at most a few names. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        append(sb, "missing in checkpoint", missing);
        append(sb, "unexpected in checkpoint", unexpected);
        append(sb, "shape mismatch", mismatched);
        return sb.length() == 0 ? "all names match" : sb.toString();
    }

    private static void append(StringBuilder sb, String what, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append("; ");
        }
        int shown = Math.min(5, names.size());
        sb.append(names.size()).append(' ').append(what).append(": ").append(String.join(", ", names.subList(0, shown)));
        if (names.size() > shown) {
            sb.append(", ... (").append(names.size() - shown).append(" more)");
        }
    }
}
