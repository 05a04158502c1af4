package dev.mailsink.web.internal.api;

import dev.mailsink.Attachment;
import dev.mailsink.CapturedMessage;
import dev.mailsink.Mailbox;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /ui/preview/{id}}: a message's HTML body prepared for the UI's sandboxed iframe.
 * Inline images ({@code cid:} references) point at the attachment endpoint; links open in a new
 * tab; meta refreshes are removed. The Content-Security-Policy forbids script, forms, plugins and
 * every remote load; remote images are allowed only with {@code ?remoteImages=allow}, after the
 * user asked for them.
 */
final class HtmlPreview {
  private static final Pattern CID =
      Pattern.compile("cid:([^\"'\\s>)]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern META_REFRESH =
      Pattern.compile(
          "<meta[^>]*http-equiv\\s*=\\s*[\"']?\\s*refresh[^>]*>",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern HEAD =
      Pattern.compile("<head(\\s[^>]*)?>", Pattern.CASE_INSENSITIVE);

  private static final String BASE_POLICY =
      "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none';"
          + " style-src 'unsafe-inline' data:; font-src data:; form-action 'none';"
          + " frame-ancestors 'self'; img-src 'self' data:";

  private final Mailbox mailbox;

  HtmlPreview(Mailbox mailbox) {
    this.mailbox = mailbox;
  }

  void handle(HttpServerExchange exchange, Map<String, String> path) {
    CapturedMessage m = Params.message(exchange, mailbox, path.get("id"));
    boolean remote = "allow".equals(Params.query(exchange, "remoteImages"));
    String html =
        m.html()
            .orElseThrow(() -> ApiException.notFound("Message " + m.id() + " has no HTML body"));
    String prepared = prepare(m, html);
    exchange
        .getResponseHeaders()
        .put(Headers.CONTENT_SECURITY_POLICY, BASE_POLICY + (remote ? " http: https:" : ""))
        .put(Headers.X_FRAME_OPTIONS, "SAMEORIGIN");
    Responses.bytes(
        exchange, 200, "text/html; charset=utf-8", prepared.getBytes(StandardCharsets.UTF_8));
  }

  static String prepare(CapturedMessage m, String html) {
    List<Attachment> parts = m.attachments();
    Matcher cid = CID.matcher(html);
    StringBuilder sb = new StringBuilder(html.length() + 64);
    while (cid.find()) {
      String id = URLDecoder.decode(cid.group(1), StandardCharsets.UTF_8);
      String replacement = cid.group();
      for (int i = 0; i < parts.size(); i++) {
        if (parts.get(i).contentId().map(id::equals).orElse(false)) {
          replacement = "/api/v1/messages/" + m.id() + "/attachments/" + i;
          break;
        }
      }
      cid.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    cid.appendTail(sb);
    String withoutRefresh = META_REFRESH.matcher(sb).replaceAll("");
    String base = "<base target=\"_blank\">";
    Matcher head = HEAD.matcher(withoutRefresh);
    if (head.find()) {
      return withoutRefresh.substring(0, head.end()) + base + withoutRefresh.substring(head.end());
    }
    return base + withoutRefresh;
  }
}
