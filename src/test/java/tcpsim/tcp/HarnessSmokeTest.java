package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.tcp.EndpointHarness.*;

import org.junit.jupiter.api.Test;

class HarnessSmokeTest {
  @Test
  void activeOpenSendsSynAndEntersSynSent() {
    EndpointHarness a = client(TcpParams.rfc(), AppScript.idle(), 1000, 0);
    assertSegment(only(a.advanceTo(1)), Flags.SYN, 1000, 0, 0);
    assertEquals(TcpState.SYN_SENT, a.state());
    assertEquals(1 * S, a.lastNextTimer);
    assertSegment(only(a.deliver(a.fromPeer(Flags.SYN | Flags.ACK, 5000, 1001, 0), 20 * MS)),
        Flags.ACK, 1001, 5001, 0);
    assertEquals(TcpState.ESTABLISHED, a.state());
  }
}
