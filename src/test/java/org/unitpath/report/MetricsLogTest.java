package org.unitpath.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @TempDir
    Path dir;

    private static Map<String, Double> m(Object... kv) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return out;
    }

    @Test
    void writesJsonlAndCsvWithTimeAndThroughput() throws IOException {
        AtomicLong now = new AtomicLong();
        try (MetricsLog log = MetricsLog.open(dir, 0, 0, now::get)) {
            now.set(2_000_000_000L);
            log.append(10, 80, m("loss_G", 1.5, "lr", 0.002));
            now.set(6_000_000_000L);
            log.append(20, 160, m("loss_G", 1.25, "lr", 0.002));
        }
        List<Map<String, Double>> r = MetricsLog.read(dir);
        assertEquals(2, r.size());
        assertEquals(List.of("iter", "time", "images", "images_per_s", "loss_G", "lr"), List.copyOf(r.get(0).keySet()));
        assertEquals(10, r.get(0).get("iter"));
        assertEquals(2.0, r.get(0).get("time"), 1e-9);
        assertEquals(40.0, r.get(0).get("images_per_s"), 1e-9);
        assertEquals(6.0, r.get(1).get("time"), 1e-9);
        assertEquals(20.0, r.get(1).get("images_per_s"), 1e-9);
        assertEquals(1.25, r.get(1).get("loss_G"));
        List<String> jsonl = Files.readAllLines(dir.resolve(MetricsLog.JSONL));
        assertTrue(jsonl.get(0).startsWith("{\"iter\":10,\"time\":2.0,\"images\":80,"), jsonl.get(0));
        List<String> csv = Files.readAllLines(dir.resolve(MetricsLog.CSV));
        assertEquals(List.of("iter,time,images,images_per_s,loss_G,lr", "10,2.0,80,40.0,1.5,0.002", "20,6.0,160,20.0,1.25,0.002"), csv);
    }

    @Test
    void aNewKeyRewritesTheCsvWithTheWiderHeader() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir)) {
            log.append(1, 8, m("loss_G", 1.0));
            log.append(2, 16, m("loss_G", 0.9));
            log.append(3, 24, m("loss_G", 0.8, "swd", 12.5));
            log.append(4, 32, m("loss_G", 0.7));
            log.append(5, 40, m("mask_aji", 0.4));
        }
        List<String> csv = Files.readAllLines(dir.resolve(MetricsLog.CSV));
        assertEquals("iter,time,images,images_per_s,loss_G,swd,mask_aji", csv.get(0));
        assertEquals(6, csv.size());
        for (String line : csv) {
            assertEquals(6, line.chars().filter(c -> c == ',').count(), line);
        }
        assertTrue(csv.get(1).endsWith(",1.0,,"), csv.get(1));
        assertTrue(csv.get(3).endsWith(",0.8,12.5,"), csv.get(3));
        assertTrue(csv.get(5).endsWith(",,,0.4"), csv.get(5));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void resumingDropsRecordsFromTheResumeIterationOn() throws IOException {
        AtomicLong now = new AtomicLong();
        try (MetricsLog log = MetricsLog.open(dir, 0, 0, now::get)) {
            for (int i = 10; i <= 100; i += 10) {
                now.addAndGet(1_000_000_000L);
                log.append(i, i * 4L, m("loss_G", 1.0 / i, i >= 70 ? "swd" : "loss_S", 3.0));
            }
        }
        now.set(500_000_000_000L);
        try (MetricsLog log = MetricsLog.open(dir, 55, 220, now::get)) {
            assertEquals(5, log.records().size());
            now.addAndGet(2_000_000_000L);
            log.append(60, 240, m("loss_G", 0.5));
        }
        List<Map<String, Double>> r = MetricsLog.read(dir);
        assertEquals(List.of(10.0, 20.0, 30.0, 40.0, 50.0, 60.0), r.stream().map(x -> x.get("iter")).toList());
        assertEquals(5.0 + 2.0, r.get(5).get("time"), 1e-9, "time continues from the last kept record");
        assertEquals(10.0, r.get(5).get("images_per_s"), 1e-9, "(240 - 220) images in 2 s");
        List<String> csv = Files.readAllLines(dir.resolve(MetricsLog.CSV));
        assertEquals("iter,time,images,images_per_s,loss_G,loss_S", csv.get(0), "swd only existed in dropped records");
        assertEquals(7, csv.size());
        assertTrue(csv.get(6).startsWith("60,"));
    }

    @Test
    void aFreshOpenStartsOver() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir)) {
            log.append(1, 1, m("loss_G", 1.0));
        }
        try (MetricsLog log = MetricsLog.open(dir)) {
            log.append(1, 1, m("loss_S", 2.0));
        }
        List<Map<String, Double>> r = MetricsLog.read(dir);
        assertEquals(1, r.size());
        assertFalse(r.get(0).containsKey("loss_G"));
        assertEquals("iter,time,images,images_per_s,loss_S", Files.readAllLines(dir.resolve(MetricsLog.CSV)).get(0));
    }

    @Test
    void nonFiniteValuesAreNullInJsonAndNanInCsv() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir)) {
            log.append(1, 1, m("loss_G", Double.NaN, "loss_D", Double.POSITIVE_INFINITY, "x", Double.NEGATIVE_INFINITY));
        }
        String json = Files.readString(dir.resolve(MetricsLog.JSONL));
        assertTrue(json.contains("\"loss_G\":null,\"loss_D\":null,\"x\":null"), json);
        assertTrue(Files.readAllLines(dir.resolve(MetricsLog.CSV)).get(1).endsWith(",nan,inf,-inf"));
        Map<String, Double> r = MetricsLog.read(dir.resolve(MetricsLog.JSONL)).get(0);
        assertTrue(r.get("loss_G").isNaN());
        assertTrue(r.get("loss_D").isNaN());
    }

    @Test
    void eachRecordIsOnDiskBeforeTheNextAndATornLineIsSkipped() throws IOException {
        MetricsLog log = MetricsLog.open(dir);
        log.append(1, 8, m("loss_G", 1.0));
        log.append(2, 16, m("loss_G", 0.5));
        assertEquals(2, Files.readAllLines(dir.resolve(MetricsLog.JSONL)).size(), "flushed without close");
        assertEquals(3, Files.readAllLines(dir.resolve(MetricsLog.CSV)).size(), "flushed without close");
        log.close();
        Files.writeString(dir.resolve(MetricsLog.JSONL), "{\"iter\":3,\"time\":1.", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        assertEquals(2, MetricsLog.read(dir).size());
        try (MetricsLog resumed = MetricsLog.open(dir, 3, 16)) {
            resumed.append(3, 24, m("loss_G", 0.25));
        }
        assertEquals(List.of(1.0, 2.0, 3.0), MetricsLog.read(dir).stream().map(x -> x.get("iter")).toList());
    }

    @Test
    void rejectsIterationsOutOfOrderAndReservedNames() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir, 10, 0)) {
            assertThrows(IllegalArgumentException.class, () -> log.append(9, 0, m()));
            log.append(10, 8, m("loss_G", 1.0));
            assertThrows(IllegalArgumentException.class, () -> log.append(10, 8, m()));
            assertThrows(IllegalArgumentException.class, () -> log.append(11, 8, m("time", 1.0)));
        }
        assertEquals(1, MetricsLog.read(dir).size());
    }

    @Test
    void aGivenThroughputWinsOverTheMeasuredOne() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir)) {
            log.append(1, 8, m("images_per_s", 123.0));
        }
        assertEquals(123.0, MetricsLog.read(dir).get(0).get("images_per_s"));
        assertEquals("iter,time,images,images_per_s", Files.readAllLines(dir.resolve(MetricsLog.CSV)).get(0));
    }
}
