package org.unitpath.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ProgressTest {
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final AtomicLong now = new AtomicLong();
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Progress.class);

    @BeforeEach
    void capture() {
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void release() {
        logger.detachAppender(events);
    }

    private Progress progress(boolean onTerminal, long total, long period) {
        return new Progress(total, period, 8, new PrintStream(terminal, true, StandardCharsets.UTF_8), now::get) {
            @Override
            protected boolean attachedToTerminal() {
                return onTerminal;
            }
        };
    }

    private static Map<String, Double> losses(double g) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss_G", g);
        m.put("loss_S", 0.5);
        m.put("loss_D", 0.25);
        m.put("loss_cycle_A", 0.125);
        m.put("lr", 0.002);
        return m;
    }

    private String out() {
        return terminal.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalOneLineIsRedrawnAndNothingIsLogged() {
        Progress p = progress(true, 100, 10);
        for (int i = 1; i <= 100; i++) {
            now.addAndGet(250_000_000L);
            p.update(i, losses(1.0 / i));
        }
        p.finish();
        String text = out();
        assertEquals(100, text.chars().filter(c -> c == '\r').count(), "one redraw per update at 4 updates/s");
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), "a single newline, from finish()");
        assertTrue(text.contains("iter 100/100 100.0%"), text);
        assertTrue(events.list.isEmpty(), "no log lines on a terminal");
    }

    @Test
    void terminalRedrawsAreThrottledButTheLastIterationIsShown() {
        Progress p = progress(true, 1000, 10);
        for (int i = 1; i <= 1000; i++) {
            now.addAndGet(10_000_000L);
            p.update(i, losses(1.0));
        }
        long redraws = out().chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 45 && redraws <= 52, redraws + " redraws over 10 s");
        assertTrue(out().contains("iter 1000/1000"), "last iteration drawn");
    }

    @Test
    void aShorterLineClearsTheRestOfTheLongerOne() {
        Progress p = progress(true, 100, 10);
        now.set(0);
        p.update(1, Map.of("a_long_metric_name", 1.0));
        now.addAndGet(1_000_000_000L);
        p.update(2, Map.of());
        String[] draws = out().split("\r");
        assertEquals(draws[1].length(), draws[2].length(), "padded with spaces to the previous length");
        assertTrue(draws[2].endsWith(" "));
    }

    @Test
    void offATerminalItLogsEveryPeriodAndTheLastIteration() {
        Progress p = progress(false, 95, 20);
        for (int i = 1; i <= 95; i++) {
            now.addAndGet(500_000_000L);
            p.update(i, losses(2.0));
        }
        p.finish();
        assertEquals("", out(), "nothing drawn");
        List<String> lines = events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(5, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("iter 20/95  21.1%"), lines.get(0));
        assertTrue(lines.get(4).startsWith("iter 95/95 100.0%"), lines.get(4));
        assertTrue(events.list.stream().allMatch(e -> e.getLevel() == Level.INFO));
    }

    @Test
    void showsEtaThroughputAndTheFirstFourScalars() {
        Progress p = progress(false, 1000, 100);
        for (int i = 1; i <= 100; i++) {
            now.addAndGet(500_000_000L);
            p.update(i, losses(1.5));
        }
        String line = events.list.get(0).getFormattedMessage();
        assertEquals("iter  100/1000  10.0%  ETA 7m30s  16.0 img/s  loss_G 1.5000  loss_S 0.5000  loss_D 0.2500"
                + "  loss_cycle_A 0.1250", line);
        assertFalse(line.contains("lr"));
    }

    @Test
    void formatsDurationsAndNumbers() {
        assertEquals("45s", Progress.duration(44.6));
        assertEquals("12m05s", Progress.duration(725));
        assertEquals("3h07m", Progress.duration(3 * 3600 + 7 * 60 + 12));
        assertEquals("2d04h", Progress.duration(2 * 86400 + 4 * 3600 + 100));
        assertEquals("nan", Progress.number(Double.NaN));
        assertEquals("-inf", Progress.number(Double.NEGATIVE_INFINITY));
        assertEquals("2.000e-04", Progress.number(2e-4));
        assertEquals("0.0000", Progress.number(0.0));
    }
}
