package org.unitpath.io.aperio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoImage;
import org.unitpath.io.coco.Polygons;

/** ImageScope XML parsing and its conversion to COCO on small hand-written files. */
class AperioXmlTest {
    @TempDir
    Path dir;

    static String xml(String rootAttributes, String... regions) {
        StringBuilder s = new StringBuilder("<?xml version=\"1.0\"?>\n<Annotations" + rootAttributes + ">\n<Annotation Id=\"1\">"
                + "<Regions><RegionAttributeHeaders><AttributeHeader Id=\"9999\" Name=\"Region\"/></RegionAttributeHeaders>\n");
        int id = 1;
        for (String r : regions) {
            s.append("<Region Id=\"").append(id++).append("\" Type=\"0\"><Attributes/><Vertices>\n");
            for (String v : r.split(" ")) {
                String[] xy = v.split(",");
                s.append("<Vertex X=\"").append(xy[0]).append("\" Y=\"").append(xy[1]).append("\" Z=\"0\"/>\n");
            }
            s.append("</Vertices></Region>\n");
        }
        return s.append("</Regions></Annotation>\n</Annotations>\n").toString();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsRegionsVerticesAndMicronsPerPixel() throws IOException {
        AperioXml x = AperioXml.read(write("a.xml", xml(" MicronsPerPixel=\"0.252700\"", "1.5,2 4,2.25 4,6", "0,0 1,0")));
        assertEquals(0.2527, x.micronsPerPixel().getAsDouble());
        assertEquals(2, x.regions().size());
        assertEquals("1", x.regions().get(0).id());
        assertArrayEquals(new double[] {1.5, 2, 4, 2.25, 4, 6}, x.regions().get(0).xy());
        assertEquals(2, x.regions().get(1).vertices());
        assertFalse(AperioXml.read(write("b.xml", xml("", "0,0 1,0 1,1"))).micronsPerPixel().isPresent());
    }

    @Test
    void convertsToPolygonsAndSkipsDegenerateRegions() throws IOException {
        // kept; 2 vertices; 3 vertices but only 2 distinct; collinear; enclosing no pixel centre
        AperioXml x = AperioXml.read(write("a.xml", xml("", "1,1 3,1 3,3 1,3", "0,0 5,5", "0,0 5,5 0,0", "0,0 2,2 4,4",
                "5.6,5.6 5.8,5.6 5.8,5.8")));
        CocoImage image = new CocoImage(4, "a.tif", 8, 8);
        AperioCoco.Converted c = AperioCoco.convert(x, image, 10);
        assertEquals(5, c.regions());
        assertEquals(4, c.skipped());
        CocoAnnotation a = c.annotations().get(0);
        assertEquals(10, a.id());
        assertEquals(4, a.imageId());
        assertEquals(AperioCoco.NUCLEUS.id(), a.categoryId());
        assertArrayEquals(new double[] {1, 1, 2, 2}, a.bbox());
        assertEquals(4, a.area()); // pixels (1..2, 1..2): the square's pixel centres
        assertEquals(new Polygons(List.of(new double[] {1, 1, 3, 1, 3, 3, 1, 3})), a.segmentation());
        assertFalse(a.crowd());
    }

    @Test
    void malformedXmlIsOneLineNamingTheFileAndLine() throws IOException {
        Path bad = write("broken.xml", xml("", "1,1 3,1 3,3").replace("</Vertices></Region>", "</Vertices>"));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> AperioXml.read(bad));
        assertTrue(e.getMessage().startsWith(bad + ": not well-formed XML at line "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void otherProblemsAreNamed() throws IOException {
        Path svg = write("svg.xml", "<svg><Region/></svg>");
        assertEquals(svg + ": not Aperio ImageScope XML: the root element is <svg>, expected <Annotations>",
                assertThrows(ImageFormatException.class, () -> AperioXml.read(svg)).getMessage());
        Path nan = write("nan.xml", xml("", "1,1 3,x 3,3"));
        assertTrue(assertThrows(ImageFormatException.class, () -> AperioXml.read(nan)).getMessage()
                .matches(".*nan\\.xml: line \\d+: Y=\"x\" is not a number"));
        Path mpp = write("mpp.xml", xml(" MicronsPerPixel=\"-1\"", "1,1 3,1 3,3"));
        assertEquals(mpp + ": MicronsPerPixel must be positive, got -1",
                assertThrows(ImageFormatException.class, () -> AperioXml.read(mpp)).getMessage());
        Path empty = write("empty.xml", "");
        assertTrue(assertThrows(ImageFormatException.class, () -> AperioXml.read(empty)).getMessage()
                .startsWith(empty + ": not well-formed XML"));
    }
}
