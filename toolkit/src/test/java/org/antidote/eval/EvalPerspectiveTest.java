package org.antidote.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.antidote.io.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Perspective client against a local server that speaks the documented request and response.
 */
class EvalPerspectiveTest {

  @TempDir Path tmp;
  HttpServer server;
  final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger failuresLeft = new AtomicInteger();
  final List<String> keys = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1alpha1/comments:analyze",
        ex -> {
          arrivals.add(System.nanoTime());
          keys.add(ex.getRequestURI().getQuery());
          JsonNode req = Json.MAPPER.readTree(ex.getRequestBody());
          byte[] out;
          int status;
          if (failuresLeft.getAndDecrement() > 0) {
            status = 429;
            out =
                "{\"error\": {\"code\": 429, \"message\": \"Quota exceeded\"}}"
                    .getBytes(StandardCharsets.UTF_8);
          } else if (!req.at("/requestedAttributes/TOXICITY").isObject()
              || !req.at("/comment/text").isTextual()) {
            status = 400;
            out = "{\"error\": {\"code\": 400}}".getBytes(StandardCharsets.UTF_8);
          } else {
            status = 200;
            double v = req.at("/comment/text").asText().contains("idiot") ? 0.91 : 0.04;
            out =
                ("{\"attributeScores\": {\"TOXICITY\": {\"spanScores\": [], \"summaryScore\": {\"value\": "
                        + v
                        + ", \"type\": \"PROBABILITY\"}}}, \"languages\": [\"en\"]}")
                    .getBytes(StandardCharsets.UTF_8);
          }
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status, out.length);
          ex.getResponseBody().write(out);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  PerspectiveScorer.Config config(double qps, Path cache) {
    URI endpoint =
        URI.create(
            "http://127.0.0.1:" + server.getAddress().getPort() + "/v1alpha1/comments:analyze");
    return new PerspectiveScorer.Config(endpoint, qps, 3, Duration.ofMillis(20), cache);
  }

  @Test
  void scoresRespectTheRateLimitAndNeverLeakTheKey() {
    PerspectiveScorer s = new PerspectiveScorer("secret-key", config(20, null));
    double[] scores =
        s.score(List.of("you idiot", "a nice day", "what an idiot", "tea", "more tea"));
    assertArrayEquals(new double[] {0.91, 0.04, 0.91, 0.04, 0.04}, scores);
    for (int i = 1; i < arrivals.size(); i++) {
      long gapMs = (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000;
      assertTrue(gapMs >= 50, "requests " + gapMs + " ms apart at a 20 per second limit");
    }
    assertTrue(keys.stream().allMatch(q -> q.equals("key=secret-key")));
    assertFalse(s.toString().contains("secret") || s.id().contains("secret"));
  }

  @Test
  void tooManyRequestsAreRetriedWithBackoff() {
    failuresLeft.set(2);
    PerspectiveScorer s = new PerspectiveScorer("k", config(100, null));
    assertEquals(0.91, s.score(List.of("idiot"))[0]);
    assertEquals(3, arrivals.size(), "two 429s, then success");
    long firstWait = (arrivals.get(1) - arrivals.get(0)) / 1_000_000;
    long secondWait = (arrivals.get(2) - arrivals.get(1)) / 1_000_000;
    assertTrue(
        firstWait >= 20 && secondWait >= 40,
        "backoff " + firstWait + " then " + secondWait + " ms");
  }

  @Test
  void giveUpAfterTheRetriesNamingTheEndpoint() {
    failuresLeft.set(10);
    PerspectiveScorer s = new PerspectiveScorer("k", config(100, null));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> s.score(List.of("x")));
    assertTrue(
        e.getMessage().contains("answered 429 after 3 retries")
            && e.getMessage().contains("127.0.0.1"),
        e.getMessage());
  }

  @Test
  void anUnreachableServiceKeepsPartialResultsAndTheNextRunResumes() {
    Path cache = tmp.resolve("scores.jsonl");
    PerspectiveScorer first = new PerspectiveScorer("k", config(100, cache));
    first.score(List.of("a", "b"));
    server.stop(0);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new PerspectiveScorer("k", config(100, cache)).score(List.of("a", "b", "c")));
    assertTrue(
        e.getMessage().contains("cannot reach the Perspective API at http://127.0.0.1"),
        e.getMessage());
    PerspectiveScorer resumed = new PerspectiveScorer("k", config(100, cache));
    assertEquals(2, resumed.cachedCount());
    assertArrayEquals(
        new double[] {0.04, 0.04}, resumed.score(List.of("a", "b")), "answered from the cache");
  }
}
