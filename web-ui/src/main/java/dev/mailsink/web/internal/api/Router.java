package dev.mailsink.web.internal.api;

import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a method and a path to an endpoint. Templates use {@code {name}} for one path segment;
 * routes are tried in order, so literal segments ({@code /messages/await}) are listed before
 * parameters ({@code /messages/{id}}).
 */
final class Router {

  /** Handles a request whose route matched; runs on a worker thread. */
  @FunctionalInterface
  interface Endpoint {
    void handle(HttpServerExchange exchange, Map<String, String> pathParams) throws Exception;
  }

  /** One route; {@code documented} routes are the API that {@code openapi.json} describes. */
  record Route(String method, String template, boolean documented, Endpoint endpoint) {
    List<String> segments() {
      return split(template);
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  /** The outcome of matching: a route with its path parameters, or why none matched. */
  record Match(Route route, Map<String, String> pathParams, Set<String> allowedMethods) {
    boolean found() {
      return route != null;
    }

    boolean pathExists() {
      return !allowedMethods.isEmpty();
    }
  }

  private final List<Route> routes;

  Router(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  List<Route> routes() {
    return routes;
  }

  Match match(String method, String path) {
    List<String> segments = split(path);
    Set<String> allowed = new LinkedHashSet<>();
    for (Route r : routes) {
      Map<String, String> params = bind(r.segments(), segments);
      if (params == null) {
        continue;
      }
      if (r.method().equals(method)) {
        return new Match(r, params, Set.of(r.method()));
      }
      allowed.add(r.method());
    }
    return new Match(null, Map.of(), allowed);
  }

  private static Map<String, String> bind(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return null;
    }
    Map<String, String> params = null;
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      String p = path.get(i);
      if (t.startsWith("{") && t.endsWith("}")) {
        if (p.isEmpty()) {
          return null;
        }
        if (params == null) {
          params = new LinkedHashMap<>();
        }
        params.put(t.substring(1, t.length() - 1), p);
      } else if (!t.equals(p)) {
        return null;
      }
    }
    return params == null ? Collections.emptyMap() : params;
  }

  static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    int start = path.startsWith("/") ? 1 : 0;
    if (start >= path.length()) {
      return out;
    }
    int i = start;
    while (true) {
      int slash = path.indexOf('/', i);
      if (slash < 0) {
        out.add(path.substring(i));
        return out;
      }
      out.add(path.substring(i, slash));
      i = slash + 1;
    }
  }
}
