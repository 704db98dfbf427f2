package org.unitpath.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.torch.F;
import org.unitpath.torch.Tensors;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {
    @TempDir
    Path run;

    private static final String CONFIG = String.join("\n",
            "# pretraining, colon",
            "SOLVER:",
            "  MAX_ITER: 1000",
            "  BASE_LR: 0.002",
            "TEST:",
            "  LOG_PERIOD: 20",
            "NOTE: \"<b> & 'quotes' stay text\"", "");

    /** A run directory as a training run leaves it: 300 iterations of metrics, three grids, a config. */
    private void fakeRun() throws IOException {
        AtomicLong now = new AtomicLong();
        try (MetricsLog log = MetricsLog.open(run, 0, 0, now::get)) {
            for (int i = 1; i <= 300; i++) {
                now.addAndGet(250_000_000L);
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("loss_G", i == 150 ? Double.NaN : 2.0 / Math.sqrt(i));
                m.put("loss_S", 1.0 / i + 0.05);
                m.put("loss_D_A", 0.6 + 0.1 * Math.sin(i / 10.0));
                m.put("loss_D_B", 0.7 + 0.1 * Math.cos(i / 10.0));
                m.put("loss_cycle_A", 0.5 * Math.exp(-i / 100.0));
                m.put("loss_cycle_B", 0.4 * Math.exp(-i / 80.0));
                m.put("loss_rpn_cls", 0.3 / Math.log(i + 2));
                m.put("loss_mask", 0.6 / Math.log(i + 2));
                m.put("ada_p", Math.min(0.6, i / 500.0));
                m.put("lr", i < 200 ? 0.002 : 0.0002);
                if (i % 50 == 0) {
                    m.put("swd", 100.0 / i);
                    m.put("swd_64", 120.0 / i);
                }
                if (i % 100 == 0) {
                    m.put("mask_dice", 0.5 + i / 1000.0);
                    m.put("mask_aji", 0.3 + i / 1000.0);
                }
                if (i > 250) {
                    m.put("grad_norm", 3.0);
                }
                log.append(i, 8L * i, m);
            }
        }
        for (int g = 0; g < 3; g++) {
            List<Tensor> rows = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                rows.add(Tensors.randn(3, 3, 16, 16).mul(F.scalar(0.5)));
            }
            Path file = SampleGrid.path(run, 100L * (g + 1));
            SampleGrid.write(file, rows, SampleGrid.PRETRAINING_LABELS);
            Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L + g * 1000L));
        }
        Files.writeString(run.resolve(HtmlReport.CONFIG), CONFIG);
    }

    private static Document parseStrictly(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSelfContainedWellFormedPageWithChartsGridsAndConfig() throws Exception {
        fakeRun();
        Path file = HtmlReport.write(run, new HtmlReport.Options(0, 2, true));
        assertEquals(run.resolve("report.html"), file);
        String html = Files.readString(file);
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
        assertFalse(html.contains("http"), "no external reference of any kind");
        assertFalse(html.contains("<script"), "no scripts");

        Document doc = parseStrictly(html);
        for (String id : List.of("chart-gs", "chart-disc", "chart-cycle", "chart-mrcnn", "chart-ada", "chart-lr",
                "chart-swd", "chart-mask", "chart-speed", "chart-other-grad")) {
            Element fig = byId(doc, id);
            assertNotNull(fig, id);
            assertEquals(1, fig.getElementsByTagName("svg").getLength(), id);
            assertTrue(fig.getElementsByTagName("path").getLength() + fig.getElementsByTagName("circle").getLength() > 0, id);
        }
        Element gs = byId(doc, "chart-gs");
        assertEquals(2, gs.getElementsByTagName("path").getLength(), "loss_G and loss_S");
        String gsPath = ((Element) gs.getElementsByTagName("path").item(0)).getAttribute("d");
        assertEquals(2, gsPath.chars().filter(c -> c == 'M').count(), "loss_G's NaN at iteration 150 breaks its line");
        assertTrue(gs.getTextContent().contains("log scale"));
        assertFalse(byId(doc, "chart-ada").getTextContent().contains("log scale"));
        NodeList gsGroups = gs.getElementsByTagName("g");
        int marks = 0;
        for (int i = 0; i < gsGroups.getLength(); i++) {
            Element g = (Element) gsGroups.item(i);
            if (g.getAttribute("class").equals("nonfinite")) {
                marks += g.getElementsByTagName("line").getLength();
                assertTrue(g.getTextContent().startsWith("loss_G"));
            }
        }
        assertEquals(1, marks, "the NaN is marked on the axis");
        NodeList figures = doc.getElementsByTagName("figure");
        List<String> order = new ArrayList<>();
        for (int i = 0; i < figures.getLength(); i++) {
            String id = ((Element) figures.item(i)).getAttribute("id");
            if (id.startsWith("chart-")) {
                order.add(id);
            }
        }
        assertEquals(List.of("chart-gs", "chart-disc", "chart-cycle", "chart-mrcnn", "chart-ada", "chart-lr", "chart-swd",
                "chart-mask", "chart-speed", "chart-other-grad"), order);
        assertEquals(12, byId(doc, "chart-swd").getElementsByTagName("circle").getLength(), "sparse series get markers");

        NodeList imgs = doc.getElementsByTagName("img");
        assertEquals(2, imgs.getLength(), "the two newest of three grids");
        String[] expected = {"iter_00000300.png", "iter_00000200.png"};
        for (int i = 0; i < imgs.getLength(); i++) {
            Element img = (Element) imgs.item(i);
            assertEquals(expected[i], img.getAttribute("alt"));
            String src = img.getAttribute("src");
            assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, 30));
            byte[] png = Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1));
            assertArrayEquals(Files.readAllBytes(run.resolve("samples").resolve(expected[i])), png);
            assertNotNull(ImageIO.read(new ByteArrayInputStream(png)));
        }
        assertAllReferencesInternal(doc);

        Element pre = (Element) byId(doc, "config").getElementsByTagName("pre").item(0);
        assertEquals(CONFIG, pre.getTextContent());
        assertTrue(html.contains("&lt;b&gt; &amp; &#39;quotes&#39;"));

        String summary = byId(doc, "summary").getTextContent();
        assertTrue(summary.contains("300 / 1,000 (30.0%)"), summary);
        assertTrue(summary.contains("2,400"), "images seen");
        assertTrue(summary.contains("1m15s"), "75 s of training");
        assertTrue(summary.contains("32.0 images/s"), summary);
        try (Stream<Path> files = Files.list(run)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void anEmptyRunStillGivesAValidPage() throws Exception {
        String html = Files.readString(HtmlReport.write(run));
        Document doc = parseStrictly(html);
        assertEquals(0, doc.getElementsByTagName("img").getLength());
        assertTrue(byId(doc, "summary").getTextContent().contains("No metrics logged yet."));
        assertTrue(byId(doc, "config").getTextContent().contains("No config.yaml"));
    }

    @Test
    void plannedIterationsComeFromTheOptionsOrTheConfig() {
        assertEquals(1000, HtmlReport.plannedFromConfig(CONFIG));
        assertEquals(500, HtmlReport.plannedFromConfig("train:\n  opts:\n    total_iters: 500\n"));
        assertEquals(0, HtmlReport.plannedFromConfig("just: text\n"));
        assertEquals(0, HtmlReport.plannedFromConfig(": : not yaml ["));
    }

    private static Element byId(Document doc, String id) {
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e;
            }
        }
        return null;
    }

    /** Every src and href is a data: URI or a link within the page. */
    private static void assertAllReferencesInternal(Document doc) {
        NodeList all = doc.getElementsByTagName("*");
        int links = 0;
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            for (String attr : List.of("src", "href", "xlink:href", "action")) {
                String v = e.getAttribute(attr);
                if (!v.isEmpty()) {
                    assertTrue(v.startsWith("data:") || v.startsWith("#"), e.getTagName() + " " + attr + "=" + v);
                    if (v.startsWith("#")) {
                        assertNotNull(byId(doc, v.substring(1)), "link target " + v);
                        links++;
                    }
                }
            }
        }
        assertEquals(4, links, "the navigation links");
    }
}
