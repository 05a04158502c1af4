package dev.mailsink.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;

/**
 * {@code --healthcheck}: asks a running server's {@code /readyz} whether it is ready. Made for the
 * Docker image's {@code HEALTHCHECK}, where neither curl nor wget exists; it reads the same flags
 * and environment variables as the server, so it finds the port the server was told to use.
 */
final class Healthcheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private Healthcheck() {}

  /** Returns 0 when {@code /readyz} answers 200, 1 otherwise (with the reason on {@code err}). */
  static int run(ServerCommand flags, PrintWriter out, PrintWriter err) {
    URI uri = readyz(flags.bind, flags.httpPort);
    try {
      HttpURLConnection http = (HttpURLConnection) uri.toURL().openConnection();
      http.setConnectTimeout((int) TIMEOUT.toMillis());
      http.setReadTimeout((int) TIMEOUT.toMillis());
      int status = http.getResponseCode();
      try (InputStream body = status < 400 ? http.getInputStream() : http.getErrorStream()) {
        if (body != null) {
          body.readAllBytes();
        }
      }
      if (status == 200) {
        out.println("ready: " + uri);
        return 0;
      }
      err.println("not ready: " + uri + " answered " + status);
      return 1;
    } catch (IOException e) {
      err.println("not ready: " + uri + ": " + e);
      return 1;
    }
  }

  /** The readiness URL of a server bound to {@code bind}, reached from this machine. */
  static URI readyz(InetAddress bind, int httpPort) {
    String host =
        bind.isAnyLocalAddress()
            ? InetAddress.getLoopbackAddress().getHostAddress()
            : literal(bind);
    return URI.create("http://" + host + ":" + httpPort + "/readyz");
  }

  static String literal(InetAddress address) {
    String a = address.getHostAddress();
    return a.contains(":") ? "[" + a + "]" : a;
  }
}
