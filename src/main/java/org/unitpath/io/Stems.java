package org.unitpath.io;

/** File-name stems: the name without folders and without its last extension, as images are matched by name. */
public final class Stems {
    private Stems() {}

    public static String of(String fileName) {
        String name = fileName.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The image an instance-map file belongs to: its stem without the ".labels" that {@code unitpath segment} adds. */
    public static String ofInstanceMap(String fileName) {
        String stem = of(fileName);
        return stem.endsWith(".labels") && stem.length() > ".labels".length() ? stem.substring(0, stem.length() - 7) : stem;
    }
}
