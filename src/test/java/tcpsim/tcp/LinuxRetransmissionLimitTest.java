package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.tcp.EndpointHarness.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The data retransmission limit under {@code profile: linux} (tcp_write_timeout,
 * retransmits_timed_out; docs/linux-profile.md §9.15): a time budget counted from the first
 * retransmission, tcp_model_timeout(tcp_retries2 = 15, 200 ms) = 924.6 s; an orphan (after
 * close()) uses tcp_orphan_retries, 0 meaning 8: 102.2 s.
 *
 * <p>Built without an RTT sample, so the RTO is 1 s and doubles up to 120 s: retransmissions at
 * 1, 3, 7, 15, 31, 63, 127 s, then every 120 s.
 */
class LinuxRetransmissionLimitTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;

  /** Runs until the endpoint stops; returns the times of its retransmissions. */
  private static List<Long> retransmissionsUntilItGivesUp(EndpointHarness a, long limit) {
    List<Long> at = new ArrayList<>();
    while (!a.stopped && a.lastNextTimer < limit) {
      long t = a.lastNextTimer;
      for (Segment s : a.advanceTo(t + 1)) {
        if (s.retransmit()) at.add(t / S);
      }
    }
    return at;
  }

  private static LinuxKnobs orphanRetries(int n) {
    LinuxKnobs d = LinuxKnobs.defaults();
    return new LinuxKnobs(d.synLinearTimeouts(), d.finTimeout(), d.timestamps(), d.sack(),
        d.windowScaling(), d.rmemDefault(), d.rmemMax(), d.pingpongThresh(), n,
        d.invalidRateLimit(), d.abortOnOverflow(), d.maxSynBacklog(), d.somaxconn(),
        d.reqskFullAtBacklog());
  }

  @Test
  void data_givesUpAtTheFirstTimeoutPast924_6sAfterTheFirstRetransmission() {
    EndpointHarness a = synchronizedIn(TcpState.ESTABLISHED, TcpParams.linux(), AppScript.idle(),
        ISS, IRS, 0).dataSent(100, 0);
    List<Long> at = retransmissionsUntilItGivesUp(a, 2000 * S);
    assertEquals(List.of(1L, 3L, 7L, 15L, 31L, 63L, 127L, 247L, 367L, 487L, 607L, 727L, 847L), at,
        "13 retransmissions, not tcp_retries2 = 15: the limit is time");
    a.assertEnded(Outcome.DATA_TIMEOUT, 967 * S); // 966 s after the first retransmission
  }

  @Test
  void orphan_usesTcpOrphanRetries_zeroMeaningEight() { // 102.2 s
    EndpointHarness a = synchronizedIn(TcpState.FIN_WAIT_1, TcpParams.linux(), AppScript.idle(),
        ISS, IRS, 0).ourFinSent(false, 0);
    a.tcb.fullyClosed = true;
    assertEquals(List.of(1L, 3L, 7L, 15L, 31L, 63L), retransmissionsUntilItGivesUp(a, 2000 * S));
    a.assertEnded(Outcome.DATA_TIMEOUT, 127 * S);
  }

  @Test
  void orphan_withTcpOrphanRetriesTwo_givesUpAfter1_4s() {
    EndpointHarness a = synchronizedIn(TcpState.LAST_ACK,
        TcpParams.linux().withLinuxKnobs(orphanRetries(2)), AppScript.idle(), ISS, IRS, 0)
        .peerFinReceived().ourFinSent(false, 0);
    a.tcb.fullyClosed = true;
    assertEquals(List.of(1L), retransmissionsUntilItGivesUp(a, 2000 * S));
    a.assertEnded(Outcome.DATA_TIMEOUT, 3 * S);
  }

  @Test
  void afterShutdownOnly_theFinUsesTcpRetries2() {
    EndpointHarness a = synchronizedIn(TcpState.FIN_WAIT_1,
        TcpParams.linux().withLinuxKnobs(orphanRetries(2)), AppScript.idle(), ISS, IRS, 0)
        .ourFinSent(false, 0);
    assertEquals(13, retransmissionsUntilItGivesUp(a, 2000 * S).size());
    a.assertEnded(Outcome.DATA_TIMEOUT, 967 * S);
  }

  @Test
  void anAckThatMovesSndUna_restartsTheBudget() {
    EndpointHarness a = synchronizedIn(TcpState.ESTABLISHED, TcpParams.linux(), AppScript.idle(),
        ISS, IRS, 0).dataSent(100, 0);
    a.advanceTo(127 * S + 1); // six retransmissions
    a.deliver(a.fromPeer(Flags.ACK, IRS + 1, ISS + 51, 0), 200 * S); // half of it arrived
    assertEquals(Tcb.NO_TIME, a.tcb.firstRetransmitAt);
    assertEquals(TcpState.ESTABLISHED, a.state());
  }
}
