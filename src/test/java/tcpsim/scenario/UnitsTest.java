package tcpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnitsTest {

  @Test
  void durationsInEveryUnit() {
    assertEquals(250L, Units.parseDuration("250ns"));
    assertEquals(100_000L, Units.parseDuration("100us"));
    assertEquals(100_000L, Units.parseDuration("100µs"));
    assertEquals(10_000_000L, Units.parseDuration("10ms"));
    assertEquals(2_000_000_000L, Units.parseDuration("2s"));
    assertEquals(60_000_000_000L, Units.parseDuration("1m"));
    assertEquals(3_600_000_000_000L, Units.parseDuration("1h"));
    assertEquals(0L, Units.parseDuration("0"));
    assertEquals(0L, Units.parseDuration("0s"));
  }

  @Test
  void fractionalDurationsAreExact() {
    assertEquals(1_500_000_000L, Units.parseDuration("1.5s"));
    assertEquals(1_500L, Units.parseDuration("1.5us"));
    assertEquals(90 * 60 * 1_000_000_000L, Units.parseDuration("1.5h"));
    assertEquals(100_000_000L, Units.parseDuration("0.1s")); // no binary rounding
    assertEquals(10_000_000L, Units.parseDuration(" 10 ms ")); // spaces are tolerated
  }

  @Test
  void eventRates() {
    assertEquals(500.0, Units.parseEventRate("500/s"), 1e-9);
    assertEquals(2500.0, Units.parseEventRate("2.5/ms"), 1e-9);
    assertEquals(100 / 60.0, Units.parseEventRate("100/min"), 1e-12);
    assertEquals(2.0, Units.parseEventRate("7200/h"), 1e-12);
    assertEquals(1e6, Units.parseEventRate("1/us"), 1e-6);
    assertEquals(1e6, Units.parseEventRate("1/µs"), 1e-6);
    assertEquals(10.0, Units.parseEventRate(" 10 / s "), 1e-12);
    assertEquals(0.0, Units.parseEventRate("0/s"));
  }

  @Test
  void badEventRates() {
    assertBad(() -> Units.parseEventRate("500"), "a rate needs a unit");
    assertBad(() -> Units.parseEventRate("500/sec"), "unknown unit '/sec'");
    assertBad(() -> Units.parseEventRate("5/m"), "'/m' is ambiguous");
    assertBad(() -> Units.parseEventRate("-5/s"), "must not be negative");
    assertBad(() -> Units.parseEventRate("fast"), "must be a rate of events per unit of time");
    assertBad(() -> Units.parseEventRate("5/"), "unknown unit '/'");
  }

  @Test
  void badDurations() {
    assertBad(() -> Units.parseDuration("10"), "only 0 may be written without unit");
    assertBad(() -> Units.parseDuration("10sec"), "unknown unit 'sec'");
    assertBad(() -> Units.parseDuration("1.5ns"), "whole number of nanoseconds");
    assertBad(() -> Units.parseDuration("-5ms"), "must not be negative");
    assertBad(() -> Units.parseDuration(""), "must be a duration");
    assertBad(() -> Units.parseDuration("ms"), "must be a duration");
    assertBad(() -> Units.parseDuration(".5s"), "must be a duration");
    assertBad(() -> Units.parseDuration("1e3ms"), "must be a duration");
    assertBad(() -> Units.parseDuration("100000000h"), "must be at most");
    assertBad(() -> Units.parseDuration(null), "must be a duration");
  }

  @Test
  void sizes() {
    assertEquals(100L, Units.parseSize("100"));
    assertEquals(100L, Units.parseSize("100B"));
    assertEquals(1000L, Units.parseSize("1KB"));
    assertEquals(1000L, Units.parseSize("1kB"));
    assertEquals(1536L, Units.parseSize("1.5KiB"));
    assertEquals(1_000_000L, Units.parseSize("1MB"));
    assertEquals(1L << 20, Units.parseSize("1MiB"));
    assertEquals(1_000_000_000L, Units.parseSize("1GB"));
    assertEquals(3L << 29, Units.parseSize("1.5GiB"));
    assertEquals(0L, Units.parseSize("0"));
    assertEquals(300L, Units.parseSize("0.3KB")); // fractional but a whole number of bytes
  }

  @Test
  void badSizes() {
    assertBad(() -> Units.parseSize("1.5"), "whole number of bytes");
    assertBad(() -> Units.parseSize("1kb"), "unknown unit 'kb'");
    assertBad(() -> Units.parseSize("1.0001KiB"), "whole number of bytes");
    assertBad(() -> Units.parseSize("-1"), "must not be negative");
    assertBad(() -> Units.parseSize("lots"), "must be a size");
    assertBad(() -> Units.parseSize("99999999999GiB"), "must be at most");
  }

  @Test
  void probabilities() {
    assertEquals(0.05, Units.parseProbability("0.05"));
    assertEquals(0.05, Units.parseProbability("5%"));
    assertEquals(0.005, Units.parseProbability("0.5%"));
    assertEquals(1.0, Units.parseProbability("100%"));
    assertEquals(1.0, Units.parseProbability("1"));
    assertEquals(0.0, Units.parseProbability("0"));
    assertEquals(1e-6, Units.parseProbability("1e-6"));
  }

  @Test
  void badProbabilities() {
    assertBad(() -> Units.parseProbability("1.5"), "at most 1 or 100%");
    assertBad(() -> Units.parseProbability("101%"), "at most 1 or 100%");
    assertBad(() -> Units.parseProbability("-0.1"), "must not be negative");
    assertBad(() -> Units.parseProbability("5 percent"), "must be a probability");
    assertBad(() -> Units.parseProbability("1e99999999999"), "must be a probability");
  }

  @Test
  void bitRates() {
    assertEquals(9600L, Units.parseBitRate("9600bit/s"));
    assertEquals(500_000L, Units.parseBitRate("500kbit/s"));
    assertEquals(10_000_000L, Units.parseBitRate("10Mbit/s"));
    assertEquals(1_000_000_000L, Units.parseBitRate("1Gbit/s"));
    assertEquals(2_500_000_000L, Units.parseBitRate("2.5Gbit/s"));
    assertEquals(10_000_000L, Units.parseBitRate("10Mbps"));
    assertEquals(0L, Units.parseBitRate("0"));
  }

  @Test
  void badBitRates() {
    assertBad(() -> Units.parseBitRate("10"), "only 0 may be written without unit");
    assertBad(() -> Units.parseBitRate("10MB/s"), "unknown unit 'MB/s'");
    assertBad(() -> Units.parseBitRate("1.5bit/s"), "whole number of bits per second");
  }

  @Test
  void formatDuration() {
    assertEquals("0s", Units.formatDuration(0));
    assertEquals("1.5s", Units.formatDuration(1_500_000_000L));
    assertEquals("200ms", Units.formatDuration(200_000_000L));
    assertEquals("2m", Units.formatDuration(120_000_000_000L));
    assertEquals("1.5h", Units.formatDuration(90 * 60 * 1_000_000_000L));
    assertEquals("250ns", Units.formatDuration(250));
    assertEquals("1.001us", Units.formatDuration(1001));
  }

  private static void assertBad(Runnable r, String expectedPart) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(expectedPart),
        () -> "message \"" + e.getMessage() + "\" should contain \"" + expectedPart + "\"");
  }
}
