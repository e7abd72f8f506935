package org.antidote.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Checksums;
import org.antidote.io.Json;

/**
 * Google's Perspective API, for researchers who have a key (the paper's scorer). The key comes from
 * {@code PERSPECTIVE_API_KEY} and is never written anywhere: not to results, logs or {@link
 * #toString()}. Requests are spaced to a requests-per-second limit (the service grants 1 by
 * default), the gap counted from each answer so that network delays cannot bunch requests at the
 * service, and retried with exponential backoff on 429 and 5xx. With a cache file, every score is
 * appended as it arrives, so an interrupted run loses nothing and resumes where it stopped.
 */
public final class PerspectiveScorer implements ToxicityScorer {

  /** Its {@link #id()}: the service's model is not versioned by the API. */
  public static final String ID = "perspective-api(TOXICITY)";

  /** The public endpoint. */
  public static final URI ENDPOINT =
      URI.create("https://commentanalyzer.googleapis.com/v1alpha1/comments:analyze");

  /**
   * How to call the service.
   *
   * @param endpoint the analyze endpoint (a local server in tests)
   * @param requestsPerSecond the rate limit; the gap is counted from each answer, so the real rate
   *     is 1 / (1 / requestsPerSecond + latency)
   * @param maxRetries retries of one request on 429 or 5xx
   * @param initialBackoff the first wait before a retry; doubled each time
   * @param cache a JSONL file of scores already obtained (text SHA-256 to score), or null
   */
  public record Config(
      URI endpoint, double requestsPerSecond, int maxRetries, Duration initialBackoff, Path cache) {

    public Config {
      Check.input(
          requestsPerSecond > 0, "requests per second must be > 0, got " + requestsPerSecond);
      Check.atLeast("max retries", maxRetries, 0);
    }

    /** The public endpoint at 1 request per second, 5 retries from 1 s, no cache. */
    public static Config defaults() {
      return new Config(ENDPOINT, 1, 5, Duration.ofSeconds(1), null);
    }

    /** The same with a cache file. */
    public Config withCache(Path file) {
      return new Config(endpoint, requestsPerSecond, maxRetries, initialBackoff, file);
    }
  }

  private final String key;
  private final Config config;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();
  private final Map<String, Double> cached = new HashMap<>();
  private long nextRequestNanos;

  /** A scorer with the key from {@code PERSPECTIVE_API_KEY}. */
  public static PerspectiveScorer fromEnvironment(Config config) {
    String key = System.getenv("PERSPECTIVE_API_KEY");
    if (key == null || key.isBlank()) {
      throw new BadInputException(
          "the Perspective scorer needs an API key in the PERSPECTIVE_API_KEY environment"
              + " variable (request one from the Perspective API team), or choose another scorer");
    }
    return new PerspectiveScorer(key, config);
  }

  /** A scorer with an explicit key (tests, or keys from a secret store). */
  public PerspectiveScorer(String key, Config config) {
    this.key = key;
    this.config = config;
    if (config.cache() != null && Files.isRegularFile(config.cache())) {
      try {
        for (String line : Files.readAllLines(config.cache(), StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            JsonNode n = Json.MAPPER.readTree(line);
            cached.put(n.path("sha256").asText(), n.path("toxicity").asDouble());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not read the score cache " + config.cache(), e);
      }
    }
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public double[] score(List<String> texts) {
    double[] out = new double[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      String sha = Checksums.sha256(texts.get(i));
      Double hit = cached.get(sha);
      if (hit == null) {
        hit = request(texts.get(i));
        cached.put(sha, hit);
        remember(sha, hit);
      }
      out[i] = hit;
    }
    return out;
  }

  /** Texts scored so far (from the cache and this session). */
  public int cachedCount() {
    return cached.size();
  }

  private double request(String text) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putObject("comment").put("text", text);
    body.putArray("languages").add("en");
    body.putObject("requestedAttributes").putObject("TOXICITY");
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(config.endpoint() + "?key=" + key))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    Duration backoff = config.initialBackoff();
    for (int attempt = 0; ; attempt++) {
      pace();
      HttpResponse<String> res;
      try {
        res = http.send(req, HttpResponse.BodyHandlers.ofString());
        // Counted from the answer, not from the send: the service has surely seen this request by
        // now,
        // so a request delayed on the way cannot land closer than the limit to the next one.
        nextRequestNanos = System.nanoTime() + (long) (1e9 / config.requestsPerSecond());
      } catch (ConnectException e) {
        throw new IllegalStateException(
            "cannot reach the Perspective API at "
                + config.endpoint()
                + " ("
                + e.getMessage()
                + "); scores so far are kept"
                + (config.cache() == null ? "" : " in " + config.cache())
                + " and the next run resumes from them",
            e);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "the request to " + config.endpoint() + " failed: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while scoring");
      }
      int status = res.statusCode();
      if (status == 200) {
        try {
          JsonNode v =
              Json.MAPPER.readTree(res.body()).at("/attributeScores/TOXICITY/summaryScore/value");
          if (!v.isNumber()) {
            throw new IllegalStateException(
                config.endpoint() + " answered without a TOXICITY summary score");
          }
          return v.asDouble();
        } catch (IOException e) {
          throw new IllegalStateException(config.endpoint() + " answered with malformed JSON", e);
        }
      }
      boolean retriable = status == 429 || status >= 500;
      if (!retriable || attempt >= config.maxRetries()) {
        throw new IllegalStateException(
            "the Perspective API at "
                + config.endpoint()
                + " answered "
                + status
                + (retriable ? " after " + attempt + " retries" : "")
                + ": "
                + abbreviate(res.body()));
      }
      sleep(backoff.toMillis());
      backoff = backoff.multipliedBy(2);
    }
  }

  /** Waits until the next request is allowed by the rate limit. */
  private void pace() {
    long now = System.nanoTime();
    if (now < nextRequestNanos) {
      sleep((nextRequestNanos - now + 999_999) / 1_000_000);
    }
  }

  private void remember(String sha, double score) {
    if (config.cache() == null) {
      return;
    }
    try (BufferedWriter w =
        Files.newBufferedWriter(
            config.cache(),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND)) {
      w.write(Json.line(Map.of("sha256", sha, "toxicity", score)));
      w.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("could not append to the score cache " + config.cache(), e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for the rate limit");
    }
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  @Override
  public String toString() {
    return "PerspectiveScorer[" + config.endpoint() + ", " + config.requestsPerSecond() + " req/s]";
  }
}
