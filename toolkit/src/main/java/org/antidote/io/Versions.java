package org.antidote.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Versions recorded in every manifest and run config: the toolkit's, Java's, DJL's and PyTorch's.
 */
public final class Versions {

  private static final Properties BUILD = load();

  private Versions() {}

  /** The toolkit version, as built. */
  public static String toolkit() {
    return BUILD.getProperty("toolkit", "unknown");
  }

  /** All versions worth recording, in a stable order. */
  public static Map<String, String> all() {
    Map<String, String> m = new TreeMap<>();
    m.put("antidote", toolkit());
    m.put("djl", BUILD.getProperty("djl", "unknown"));
    m.put("pytorch", BUILD.getProperty("pytorch", "unknown"));
    m.put("java", System.getProperty("java.version"));
    return m;
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("/org/antidote/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException ignored) {
      // Versions are informative; "unknown" is recorded instead.
    }
    return p;
  }
}
