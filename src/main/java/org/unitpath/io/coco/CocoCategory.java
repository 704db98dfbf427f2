package org.unitpath.io.coco;

/** An entry of a COCO file's {@code categories}. */
public record CocoCategory(int id, String name) {}
