package org.unitpath.data;

import java.util.List;

/**
 * One unpaired training pair: a mask image {@code a} and a real tile {@code b}, both
 * 3 x size x size float CHW in [-1, 1]; the known nuclei of {@code a} (ISG) or its binary
 * nucleus map (SSG, 1 byte per pixel), whichever the segmentation guide needs.
 */
public record CycleSample(float[] a, float[] b, int size, List<Instance> instances, byte[] semantic,
        String fileA, String fileB) {}
