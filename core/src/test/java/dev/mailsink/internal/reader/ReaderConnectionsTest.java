package dev.mailsink.internal.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ReaderConnectionsTest {

  @Test
  void releasingTheAcceptedSocketAlsoReleasesItsTlsLayer() throws Exception {
    ReaderConnections connections = new ReaderConnections(1);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(server.getInetAddress(), server.getLocalPort())) {
      Socket accepted = server.accept();
      assertThat(connections.admit(accepted)).isTrue();
      // what STLS and STARTTLS do: the session swaps in the layer, the listener keeps the socket
      SSLSocket layer = connections.layTls(accepted, SSLContext.getDefault());

      connections.release(accepted);

      assertThat(connections.count()).isZero();
      assertThat(layer.isClosed()).isTrue();
      assertThat(connections.admit(new Socket())).isTrue();
    }
  }
}
