package dev.mailsink.internal.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsink.MailsinkException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ReaderPortsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static ReaderListener.Session unused(Socket socket) {
    throw new AssertionError("no connection expected");
  }

  @Test
  void aBusyImplicitTlsPortFailsNamingItsOption() throws Exception {
    ExecutorService executor = Executors.newCachedThreadPool();
    try (ServerSocket busy = new ServerSocket(0, 1, LOOPBACK)) {
      assertThatThrownBy(
              () ->
                  ReaderPorts.start(
                      LOOPBACK,
                      "imap",
                      0,
                      busy.getLocalPort(),
                      SSLContext.getDefault(),
                      executor,
                      new ReaderConnections(1),
                      ReaderPortsTest::unused))
          .isInstanceOf(MailsinkException.class)
          .hasMessageContaining("use imapsPort(0) for a free port");
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aPortThatIsOffStaysUnbound() throws Exception {
    ExecutorService executor = Executors.newCachedThreadPool();
    try (ReaderPorts ports =
        ReaderPorts.start(
            LOOPBACK,
            "pop3",
            0,
            -1,
            SSLContext.getDefault(),
            executor,
            new ReaderConnections(1),
            ReaderPortsTest::unused)) {
      assertThat(ports.port()).isPositive();
      assertThat(ports.implicitTlsPort()).isEqualTo(-1);
    } finally {
      executor.shutdownNow();
    }
  }
}
