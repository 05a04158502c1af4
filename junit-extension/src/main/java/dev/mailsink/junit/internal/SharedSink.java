package dev.mailsink.junit.internal;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The server shared by the classes of a test run, kept in the root context's store, which closes it
 * when the run ends. A {@code CloseableResource} rather than an {@code AutoCloseable} because JUnit
 * before 5.13 closes only those; 5.13 to 6.x still do. Not API.
 */
@SuppressWarnings("deprecation")
public final class SharedSink implements ExtensionContext.Store.CloseableResource {
  private final SinkHandle handle;

  /** Wraps a sink that the end of the run closes. */
  public SharedSink(SinkHandle handle) {
    this.handle = handle;
  }

  /** The running sink. */
  public SinkHandle handle() {
    return handle;
  }

  /** Called by JUnit at the end of the run. */
  @Override
  public void close() {
    handle.close();
  }
}
