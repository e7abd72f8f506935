package org.antidote.io;

import java.nio.file.Path;

/**
 * Where fetched data and caches live: {@code $ANTIDOTE_HOME}, else the system property {@code
 * antidote.home}, else {@code ~/.antidote}. Nothing offensive is ever kept in the repository; it is
 * fetched here.
 */
public final class AntidoteHome {

  private AntidoteHome() {}

  /** The home folder (not created by this call). */
  public static Path dir() {
    String env = System.getenv("ANTIDOTE_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath();
    }
    String prop = System.getProperty("antidote.home");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".antidote");
  }

  /** The folder holding normalised bundled corpora ({@code data/<source>.jsonl}). */
  public static Path data() {
    return dir().resolve("data");
  }

  /** The folder holding downloaded package archives, kept to avoid fetching twice. */
  public static Path downloads() {
    return dir().resolve("downloads");
  }
}
