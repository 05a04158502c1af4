package dev.mailsink.testcontainers;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * The product image, built once per test run from docker/server's Dockerfile and the jar that
 * docker/server just packaged, on the local base image (made by docker/build-image.sh when missing,
 * since no registry is reachable). Tagged {@code mailsink/mailsink:<version>} and kept, so that
 * {@code new MailsinkContainer()} and later runs find it.
 */
final class LocalImage {
  private static DockerImageName image;

  private LocalImage() {}

  static synchronized DockerImageName get() {
    if (image == null) {
      image = build();
    }
    return image;
  }

  private static DockerImageName build() {
    Path serverDir = Path.of(System.getProperty("mailsink.server.dir", "../server"));
    Path jar = ServerJarProcess.jar();
    String base = System.getProperty("mailsink.base.image", "mailsink/jre-base:25");
    ensureBase(base, serverDir.resolveSibling("build-image.sh"));
    String tag = "mailsink/mailsink:" + MailsinkContainer.VERSION;
    String built =
        new ImageFromDockerfile(tag, false)
            .withFileFromPath("Dockerfile", serverDir.resolve("Dockerfile"))
            .withFileFromPath("target/mailsink-server.jar", jar)
            .withBuildArg("BASE_IMAGE", base)
            .get();
    return DockerImageName.parse(built);
  }

  private static void ensureBase(String base, Path script) {
    try {
      DockerClientFactory.instance().client().inspectImageCmd(base).exec();
      return;
    } catch (NotFoundException e) {
      // build it below
    }
    try {
      ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "base").inheritIO();
      pb.environment().put("MAILSINK_BASE_IMAGE", base);
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " base failed; see its output above");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building " + base, e);
    }
  }
}
