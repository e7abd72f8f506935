package org.antidote.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code url} recipes look before the internet. Compute clusters often have no internet, so a
 * folder laid out by URL ({@code https://host/path} at {@code host/path}), copied once from a
 * machine that has it, lets every fetch run offline with the same checksums. The places, in order:
 * {@code ANTIDOTE_MIRROR} (such a folder, or an http(s) prefix that serves the same layout); else a
 * {@code shared/mirror} folder beside the checkout ({@code antidote.root}), when one is there.
 */
public final class Mirror {

  /** The environment variable naming a mirror folder or http(s) prefix. */
  public static final String ENV = "ANTIDOTE_MIRROR";

  private Mirror() {}

  /** The mirrors this process is configured with, searched in order (possibly none). */
  public static List<String> configured() {
    return configured(System.getenv(ENV), System.getProperty("antidote.root"));
  }

  /**
   * The mirrors for an {@code ANTIDOTE_MIRROR} value and a checkout folder (either may be null):
   * the variable when set, else {@code <checkout>/../shared/mirror} when it is a folder.
   */
  static List<String> configured(String env, String root) {
    List<String> out = new ArrayList<>();
    if (env != null && !env.isBlank()) {
      String m = env.strip();
      out.add(isHttp(m) ? m : Path.of(m).toAbsolutePath().normalize().toString());
      return out;
    }
    if (root != null && !root.isBlank()) {
      Path beside =
          Path.of(root).toAbsolutePath().normalize().resolveSibling("shared").resolve("mirror");
      if (Files.isDirectory(beside)) {
        out.add(beside.toString());
      }
    }
    return out;
  }

  static boolean isHttp(String mirror) {
    return mirror.startsWith("http://") || mirror.startsWith("https://");
  }

  /** Where a file with {@code host/path} lies in one mirror: a path or a URL. */
  static String locate(String mirror, String mirrorPath) {
    return isHttp(mirror)
        ? mirror.replaceAll("/+$", "") + "/" + mirrorPath
        : Path.of(mirror, mirrorPath).toString();
  }
}
