package dev.mailsink.web.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small client for the JSON API over real HTTP ({@code java.net.http}). */
public final class HttpApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String base;
  private final HttpClient client;

  public HttpApi(String baseUrl) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  public HttpClient client() {
    return client;
  }

  public URI uri(String path) {
    return URI.create(base + path);
  }

  public static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  public Response get(String path, String... headers) {
    return send("GET", path, headers);
  }

  public Response delete(String path, String... headers) {
    return send("DELETE", path, headers);
  }

  public Response post(String path, String contentType, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  public Response send(HttpRequest request) {
    try {
      return new Response(client.send(request, HttpResponse.BodyHandlers.ofByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Response send(String method, String path, String... headers) {
    try {
      return new Response(
          client.send(request(method, path, headers), HttpResponse.BodyHandlers.ofByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public CompletableFuture<Response> sendAsync(String method, String path, String... headers) {
    return client
        .sendAsync(request(method, path, headers), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(Response::new);
  }

  public HttpRequest request(String method, String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(60))
            .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  /** A response with its body read into memory. */
  public static final class Response {
    private final HttpResponse<byte[]> response;

    Response(HttpResponse<byte[]> response) {
      this.response = response;
    }

    public int status() {
      return response.statusCode();
    }

    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    public byte[] bytes() {
      return response.body();
    }

    public String text() {
      return new String(response.body(), StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return MAPPER.readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON (status " + status() + "): " + text(), e);
      }
    }

    @Override
    public String toString() {
      return status() + " " + text();
    }
  }
}
