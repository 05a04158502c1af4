package dev.mailsink.internal.smtp;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.subethamail.smtp.MessageHandler;

/**
 * The state of one mail transaction, from MAIL to the end of DATA or BDAT LAST. SubEthaSMTP's
 * session owns its lifetime (it creates one at MAIL and drops it at RSET, EHLO or the end of data);
 * our commands read and fill it.
 */
final class Transaction implements MessageHandler {
  String sender;
  long declaredSize;
  final List<String> recipients = new ArrayList<>();
  MessageData chunks;

  boolean hasRecipient(String address) {
    for (String r : recipients) {
      if (r.equalsIgnoreCase(address)) {
        return true;
      }
    }
    return false;
  }

  // Our commands drive the transaction directly; SubEthaSMTP's callbacks are not used.
  @Override
  public void from(String from) {}

  @Override
  public void recipient(String recipient) {}

  @Override
  public String data(InputStream data) {
    throw new UnsupportedOperationException("Mailsink reads message data itself");
  }

  @Override
  public void done() {
    chunks = null;
  }
}
