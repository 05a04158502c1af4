package dev.mailsink.internal.relay;

import dev.mailsink.CapturedMessage;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * A captured message as Angus Mail's SMTP transport sends it: the trace header, then the bytes
 * exactly as captured. Nothing is parsed or re-encoded; the transport only dot-stuffs and makes
 * line ends CRLF on the wire. The ignore list (Bcc, Content-Length) does not apply: the bytes go
 * out as they came in.
 */
final class RawMessage extends SMTPMessage {
  private final byte[] traceHeader;
  private final CapturedMessage captured;

  RawMessage(Session session, CapturedMessage captured, byte[] traceHeader, String envelopeFrom) {
    super(session);
    this.captured = captured;
    this.traceHeader = traceHeader;
    setEnvelopeFrom(envelopeFrom);
  }

  @Override
  public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
    os.write(traceHeader);
    captured.writeRawTo(os);
  }

  @Override
  public void writeTo(OutputStream os) throws IOException {
    writeTo(os, null);
  }
}
