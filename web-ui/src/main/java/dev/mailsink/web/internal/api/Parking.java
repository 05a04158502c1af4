package dev.mailsink.web.internal.api;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Long polls on a future: the exchange is parked (it holds no thread) until the future completes or
 * the timeout passes, whichever is first, and is then answered on the event loop. The future is
 * cancelled on a timeout or when the client goes, so that whatever would complete it can stop.
 */
final class Parking {
  private Parking() {}

  static <T> void await(
      HttpServerExchange exchange,
      EventLoop loop,
      CompletableFuture<T> event,
      Duration timeout,
      Consumer<T> onEvent,
      Runnable onTimeout) {
    AtomicBoolean answered = new AtomicBoolean();
    exchange.dispatch(
        SameThreadExecutor.INSTANCE,
        () -> {
          ScheduledFuture<?> timer =
              loop.schedule(
                  () -> {
                    if (answered.compareAndSet(false, true)) {
                      event.cancel(false);
                      onTimeout.run();
                    }
                  },
                  timeout.toNanos(),
                  TimeUnit.NANOSECONDS);
          event.whenComplete(
              (value, failure) ->
                  loop.execute(
                      () -> {
                        if (answered.compareAndSet(false, true)) {
                          if (timer != null) {
                            timer.cancel(false);
                          }
                          onEvent.accept(value);
                        }
                      }));
          exchange
              .getConnection()
              .addCloseListener(
                  c -> {
                    answered.set(true);
                    event.cancel(false);
                    if (timer != null) {
                      timer.cancel(false);
                    }
                  });
          if (timer == null && answered.compareAndSet(false, true)) {
            // the loop is closing
            Responses.error(exchange, 503, "unavailable", "The server is closing");
          }
        });
  }
}
