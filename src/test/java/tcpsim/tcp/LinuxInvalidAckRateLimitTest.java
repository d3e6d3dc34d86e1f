package tcpsim.tcp;

import static tcpsim.tcp.EndpointHarness.*;

import org.junit.jupiter.api.Test;

/**
 * tcp_invalid_ratelimit under {@code profile: linux} (tcp_input.c {@code
 * tcp_oow_rate_limited}, {@code tcp_send_challenge_ack}; docs/linux-profile.md §6, §9.14): a
 * connection sends at most one challenge ACK or out-of-window ACK per 500 ms; an out-of-window
 * segment carrying data or a FIN is always answered. The RFC profile answers every one.
 */
class LinuxInvalidAckRateLimitTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int SND = ISS + 1;
  private static final int RCV = IRS + 1;

  private static EndpointHarness established(TcpParams params) {
    return synchronizedIn(TcpState.ESTABLISHED, params, AppScript.idle(), ISS, IRS, 0);
  }

  @Test
  void challengeAcks_atMostOnePer500ms() { // RST in the window but not at RCV.NXT
    EndpointHarness a = established(TcpParams.linux());
    assertSegment(only(a.deliver(a.fromPeer(Flags.RST, RCV + 10, 0, 0), 1 * S)),
        Flags.ACK, SND, RCV, 0);
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, RCV + 20, 0, 0), 1 * S + 1 * MS));
    assertNothingSent(a.deliver(a.fromPeer(Flags.SYN, RCV + 30, 0, 0), 1 * S + 499 * MS));
    assertSegment(only(a.deliver(a.fromPeer(Flags.SYN, RCV + 30, 0, 0), 1 * S + 500 * MS)),
        Flags.ACK, SND, RCV, 0);
  }

  @Test
  void outOfWindowPureAcks_shareTheLimit() {
    EndpointHarness a = established(TcpParams.linux());
    assertSegment(only(a.deliver(a.fromPeer(Flags.ACK, RCV - 100, SND, 0), 1 * S)),
        Flags.ACK, SND, RCV, 0);
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, RCV + 10, 0, 0), 1200 * MS));
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV - 100, SND, 0), 1300 * MS));
  }

  @Test
  void outOfWindowData_isAlwaysAnswered() { // not part of an ACK loop
    EndpointHarness a = established(TcpParams.linux());
    for (int i = 0; i < 3; i++) {
      assertSegment(only(a.deliver(a.fromPeer(Flags.ACK | Flags.PSH, RCV - 100, SND, 100),
          1 * S + i * MS)), Flags.ACK, SND, RCV, 0);
    }
    assertSegment(only(a.deliver(a.fromPeer(Flags.ACK | Flags.FIN, RCV - 1, SND, 0),
        1 * S + 5 * MS)), Flags.ACK, SND, RCV, 0);
  }

  @Test
  void underTheRfcProfile_everyChallengeIsAnswered() {
    EndpointHarness a = established(TcpParams.rfc());
    for (int i = 0; i < 3; i++) {
      assertSegment(only(a.deliver(a.fromPeer(Flags.RST, RCV + 10, 0, 0), 1 * S + i * MS)),
          Flags.ACK, SND, RCV, 0);
    }
  }
}
