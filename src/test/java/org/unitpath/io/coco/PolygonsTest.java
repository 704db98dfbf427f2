package org.unitpath.io.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected masks traced by hand through pycocotools' rleFrPoly (5x upsampled outline, y-boundaries per pixel-centre column). */
class PolygonsTest {
    @Test
    void rectangleCoversThePixelsWhoseCentresLieInside() {
        Polygons box = new Polygons(List.of(new double[] {1, 1, 1, 3, 4, 3, 4, 1}));
        Rle r = box.toRle(6, 5);
        assertArrayEquals(new int[] {6, 2, 3, 2, 3, 2, 12}, r.counts());
        byte[] expected = new byte[30];
        for (int y = 1; y <= 2; y++) {
            for (int x = 1; x <= 3; x++) {
                expected[y * 6 + x] = 1;
            }
        }
        assertArrayEquals(expected, box.rasterise(6, 5));
        assertEquals(r, Polygons.ofBox(new double[] {1, 1, 3, 2}).toRle(6, 5));
    }

    @Test
    void triangleLeavesOutCentresOnTheHypotenuse() {
        // vertices (0,0), (4,0), (0,4): centres with x + y = 4 lie on the edge and stay outside
        Rle r = new Polygons(List.of(new double[] {0, 0, 4, 0, 0, 4})).toRle(5, 5);
        assertArrayEquals(new int[] {0, 3, 2, 2, 3, 1, 14}, r.counts());
        byte[] expected = {
            1, 1, 1, 0, 0,
            1, 1, 0, 0, 0,
            1, 0, 0, 0, 0,
            0, 0, 0, 0, 0,
            0, 0, 0, 0, 0};
        assertArrayEquals(expected, r.decode());
    }

    @Test
    void ringsAreUnitedAndClippedToTheImage() {
        Polygons two = new Polygons(List.of(new double[] {0, 0, 0, 1, 1, 1, 1, 0}, new double[] {3, 0, 3, 1, 9, 1, 9, 0}));
        assertArrayEquals(new byte[] {1, 0, 0, 1, 1}, two.rasterise(5, 1));
    }

    @Test
    void degeneratePolygonsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Polygons(List.of(new double[] {0, 0, 1, 1})));
        assertThrows(IllegalArgumentException.class, () -> new Polygons(List.of(new double[] {0, 0, 1, 1, 2})));
        assertThrows(IllegalArgumentException.class, () -> new Polygons(List.of()));
    }
}
