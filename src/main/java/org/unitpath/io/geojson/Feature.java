package org.unitpath.io.geojson;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One GeoJSON Feature as QuPath reads it: a Polygon without holes, an object type
 * ({@code detection}, {@code annotation}, {@code cell}, ...), a classification with a display
 * colour, and numeric measurements.
 *
 * @param id          a UUID string (QuPath keeps it as the object's id) or null
 * @param exterior    the exterior ring x0, y0, x1, y1, ..., closed (last position = first), in image pixels
 * @param color       classification colour r, g, b in 0..255
 */
public record Feature(String id, String objectType, double[] exterior, String className, int[] color,
        Map<String, Double> measurements) {
    public Feature {
        int n = exterior.length;
        if (n % 2 != 0 || n < 8) {
            throw new IllegalArgumentException("a polygon ring needs at least 4 positions, got " + n + " coordinates");
        }
        if (exterior[0] != exterior[n - 2] || exterior[1] != exterior[n - 1]) {
            throw new IllegalArgumentException("a polygon ring must end at its first position");
        }
        if (Arrays.stream(exterior).anyMatch(v -> !Double.isFinite(v))) {
            throw new IllegalArgumentException("polygon coordinates must be finite");
        }
        if (color.length != 3 || Arrays.stream(color).anyMatch(c -> c < 0 || c > 255)) {
            throw new IllegalArgumentException("colour must be three values in 0..255, got " + Arrays.toString(color));
        }
        for (Map.Entry<String, Double> e : measurements.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("measurement '" + e.getKey() + "' is " + e.getValue()
                        + "; JSON numbers must be finite");
            }
        }
        exterior = exterior.clone();
        color = color.clone();
        measurements = Collections.unmodifiableMap(new LinkedHashMap<>(measurements));
    }

    @Override
    public double[] exterior() {
        return exterior.clone();
    }

    @Override
    public int[] color() {
        return color.clone();
    }
}
