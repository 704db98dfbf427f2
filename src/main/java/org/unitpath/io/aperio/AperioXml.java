package org.unitpath.io.aperio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.unitpath.io.ImageFormatException;

/**
 * Aperio ImageScope annotation XML, as MoNuSeg distributes its nucleus outlines:
 * {@code <Annotations MicronsPerPixel="0.25"><Annotation><Regions><Region Id="1"><Vertices>
 * <Vertex X="1.5" Y="2"/>...}. Every {@code Region} of every {@code Annotation} is one polygon,
 * its vertices in file order and coordinates as written (pixels of the full-resolution image).
 */
public record AperioXml(Path file, OptionalDouble micronsPerPixel, List<Region> regions) {
    public AperioXml {
        regions = List.copyOf(regions);
    }

    /** One Region: its {@code Id} attribute ("" when absent) and vertices as {x0, y0, x1, y1, ...}. */
    public record Region(String id, double[] xy) {
        public int vertices() {
            return xy.length / 2;
        }
    }

    /** Reads a file; anything that is not well-formed ImageScope XML is an {@link ImageFormatException} naming the line. */
    public static AperioXml read(Path file) throws IOException {
        XMLInputFactory f = XMLInputFactory.newFactory();
        // annotation files never need a DTD or external entities; refusing them keeps a hostile file harmless
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader r = f.createXMLStreamReader(in);
            try {
                return parse(file, r);
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            String where = e.getLocation() != null && e.getLocation().getLineNumber() > 0
                    ? " at line " + e.getLocation().getLineNumber() : "";
            throw new ImageFormatException(file, "not well-formed XML" + where + ": " + reason(e), e);
        }
    }

    private static AperioXml parse(Path file, XMLStreamReader r) throws XMLStreamException, ImageFormatException {
        while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
            // skip the prolog and comments before the root element
        }
        if (!r.isStartElement() || !r.getLocalName().equals("Annotations")) {
            throw new ImageFormatException(file, "not Aperio ImageScope XML: the root element is "
                    + (r.isStartElement() ? "<" + r.getLocalName() + ">" : "missing") + ", expected <Annotations>");
        }
        OptionalDouble mpp = OptionalDouble.empty();
        String mppText = r.getAttributeValue(null, "MicronsPerPixel");
        if (mppText != null && !mppText.isBlank()) {
            double v = number(file, r, mppText, "MicronsPerPixel");
            if (!(v > 0)) {
                throw new ImageFormatException(file, "MicronsPerPixel must be positive, got " + mppText);
            }
            mpp = OptionalDouble.of(v);
        }
        List<Region> regions = new ArrayList<>();
        String regionId = null;
        int regionLine = 0;
        double[] xy = new double[64];
        int n = 0;
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                switch (r.getLocalName()) {
                    case "Region" -> {
                        regionId = r.getAttributeValue(null, "Id");
                        regionLine = r.getLocation().getLineNumber();
                        n = 0;
                    }
                    case "Vertex" -> {
                        if (regionId == null) {
                            throw new ImageFormatException(file, "line " + r.getLocation().getLineNumber()
                                    + ": a <Vertex> outside any <Region>");
                        }
                        if (n + 2 > xy.length) {
                            xy = Arrays.copyOf(xy, xy.length * 2);
                        }
                        xy[n++] = coordinate(file, r, "X");
                        xy[n++] = coordinate(file, r, "Y");
                    }
                    default -> { }
                }
            } else if (event == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("Region")) {
                if (n == 0) {
                    throw new ImageFormatException(file, "line " + regionLine + ": Region " + regionId + " has no <Vertex>");
                }
                regions.add(new Region(regionId, Arrays.copyOf(xy, n)));
                regionId = null;
            }
        }
        return new AperioXml(file, mpp, regions);
    }

    private static double coordinate(Path file, XMLStreamReader r, String name) throws ImageFormatException {
        String text = r.getAttributeValue(null, name);
        if (text == null) {
            throw new ImageFormatException(file, "line " + r.getLocation().getLineNumber() + ": a <Vertex> has no " + name);
        }
        double v = number(file, r, text, name);
        if (!Double.isFinite(v)) {
            throw new ImageFormatException(file, "line " + r.getLocation().getLineNumber() + ": Vertex " + name + "=\""
                    + text + "\" is not a finite number");
        }
        return v;
    }

    private static double number(Path file, XMLStreamReader r, String text, String name) throws ImageFormatException {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new ImageFormatException(file, "line " + r.getLocation().getLineNumber() + ": " + name + "=\"" + text
                    + "\" is not a number");
        }
    }

    /** The parser's message without the "ParseError at [row,col]:" preamble it repeats from the location. */
    private static String reason(XMLStreamException e) {
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf("Message: ");
        return (at >= 0 ? m.substring(at + 9) : m).replace('\n', ' ').trim();
    }
}
