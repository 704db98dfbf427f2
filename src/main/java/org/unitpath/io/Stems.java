package org.unitpath.io;

/** File-name stems: the name without folders and without its last extension. */
public final class Stems {
    private Stems() {}

    public static String of(String fileName) {
        String name = fileName.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
