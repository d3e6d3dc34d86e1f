package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4). */
class SeqTest {
  private static final int NEAR_TOP = 0xFFFFFFF0;

  @Test
  void numberJustBeforeWrap_isLessThanSmallNumberAfterIt() {
    assertTrue(Seq.lt(NEAR_TOP, 0x10));
    assertTrue(Seq.leq(NEAR_TOP, 0x10));
    assertFalse(Seq.gt(NEAR_TOP, 0x10));
    assertFalse(Seq.geq(NEAR_TOP, 0x10));
  }

  @Test
  void smallNumberAfterWrap_isGreaterThanNumberJustBeforeIt() {
    assertTrue(Seq.gt(0x10, NEAR_TOP));
    assertTrue(Seq.geq(0x10, NEAR_TOP));
    assertFalse(Seq.lt(0x10, NEAR_TOP));
    assertFalse(Seq.leq(0x10, NEAR_TOP));
  }

  @Test
  void equalNumbers_areLeqAndGeqButNotLtOrGt() {
    for (int x : new int[] {0, 1, -1, NEAR_TOP, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      assertTrue(Seq.leq(x, x));
      assertTrue(Seq.geq(x, x));
      assertFalse(Seq.lt(x, x));
      assertFalse(Seq.gt(x, x));
    }
  }

  @Test
  void comparison_crossesTheSignedBoundaryAt2To31() {
    // 0x7FFFFFFF and 0x80000000 are neighbours in sequence space, not 2^32 apart.
    assertTrue(Seq.lt(0x7FFFFFFF, 0x80000000));
    assertTrue(Seq.gt(0x80000000, 0x7FFFFFFF));
  }

  @Test
  void numbersWithin2To31Before_areLess_evenAcrossWrap() {
    assertTrue(Seq.lt(0x10, 0x10 + 0x7FFFFFFF)); // 2^31 - 1 ahead
    assertTrue(Seq.lt(0xFFFFFF00, 0x7FFFFE00)); // 2^31 - 0x100 ahead, across 2^32
  }

  @Test
  void add_wrapsModulo2To32() {
    assertEquals(0, Seq.add(0xFFFFFFFF, 1));
    assertEquals(0x10, Seq.add(NEAR_TOP, 0x20));
    assertEquals(NEAR_TOP, Seq.add(0x10, -0x20));
    assertEquals(NEAR_TOP, Seq.add(NEAR_TOP, 1L << 32)); // a long count wraps too
    assertEquals(0x11, Seq.add(NEAR_TOP, (1L << 32) + 0x21));
  }

  @Test
  void diff_isTheForwardDistance_acrossWrap() {
    assertEquals(0x20, Seq.diff(0x10, NEAR_TOP));
    assertEquals(-0x20, Seq.diff(NEAR_TOP, 0x10));
    assertEquals(0, Seq.diff(NEAR_TOP, NEAR_TOP));
  }

  @Test
  void inWindow_isHalfOpen_andWorksAcross2To32() {
    int lo = NEAR_TOP;
    int hi = 0x10; // window of 0x20 that spans the wrap
    assertTrue(Seq.inWindow(lo, lo, hi), "left edge is in");
    assertTrue(Seq.inWindow(0xFFFFFFFF, lo, hi));
    assertTrue(Seq.inWindow(0, lo, hi));
    assertTrue(Seq.inWindow(0x0F, lo, hi), "last number before the right edge is in");
    assertFalse(Seq.inWindow(hi, lo, hi), "right edge is out");
    assertFalse(Seq.inWindow(0xFFFFFFEF, lo, hi), "just left of the window is out");
    assertFalse(Seq.inWindow(0x7FFFFFFF, lo, hi));
  }

  @Test
  void inWindow_emptyWindow_containsNothing() {
    assertFalse(Seq.inWindow(NEAR_TOP, NEAR_TOP, NEAR_TOP));
  }

  @Test
  void max_picksTheLaterNumber_acrossWrap() {
    assertEquals(0x10, Seq.max(NEAR_TOP, 0x10));
    assertEquals(0x10, Seq.max(0x10, NEAR_TOP));
    assertEquals(5, Seq.max(5, 5));
  }

  @Test
  void unsigned_isTheWireValue() {
    assertEquals(4294967295L, Seq.unsigned(-1));
    assertEquals(0xFFFFFFF0L, Seq.unsigned(NEAR_TOP));
    assertEquals(0x80000000L, Seq.unsigned(Integer.MIN_VALUE));
    assertEquals(7L, Seq.unsigned(7));
  }
}
