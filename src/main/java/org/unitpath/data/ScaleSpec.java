package org.unitpath.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scale string of the release, {@code "<mag>x_<size>"}: tiles are cut at {@code mag}
 * magnification from 40x data, so the crop side in source pixels is size * (40 / mag) and is
 * then resized to {@code size}. '40x_256' crops 256 px at native 40x; '20x_256' crops 512.
 */
public record ScaleSpec(String name, int magnification, int size) {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)x_(\\d+)");
    public static final int NATIVE_MAGNIFICATION = 40;

    public static ScaleSpec parse(String s) {
        Matcher m = FORMAT.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad scale '" + s + "': expected <magnification>x_<size>, e.g. 40x_256");
        }
        int mag = Integer.parseInt(m.group(1));
        int size = Integer.parseInt(m.group(2));
        if (mag < 1 || mag > NATIVE_MAGNIFICATION || NATIVE_MAGNIFICATION % mag != 0 || size < 8) {
            throw new IllegalArgumentException("bad scale '" + s + "': magnification must divide 40 and size be >= 8");
        }
        return new ScaleSpec(s.trim(), mag, size);
    }

    /** Source pixels per output pixel (40 / mag, as the release's integer division). */
    public int magnitude() {
        return NATIVE_MAGNIFICATION / magnification;
    }

    /** Side of the square cut from a source tile before resizing to {@link #size}. */
    public int cropSide() {
        return size * magnitude();
    }
}
