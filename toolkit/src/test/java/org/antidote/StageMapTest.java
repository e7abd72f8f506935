package org.antidote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The stage map, checked on the sources of the toolkit and the kernel: data flows one way, so a
 * stage uses only the stages before it, the leaves ({@code io}, {@code math}, {@code plot}) use no
 * stage, and every {@code package-info.java} states truthfully what its package uses and what uses
 * it. A reference is an import or a qualified name in code; comments do not count.
 */
class StageMapTest {

  /** The flow, first to last. Each stage may use every stage before it and the leaves. */
  static final List<String> FLOW =
      List.of("corpus", "tokenize", "mix", "model", "train", "probe", "iti", "eval", "study");

  /** Beside {@code study}: they may use the whole flow up to {@code eval}, not each other. */
  static final Set<String> BESIDE_STUDY = Set.of("toy", "bench", "lens", "launch");

  /** On top: they may use everything below them. */
  static final Set<String> TOP = Set.of("cli", "kernel");

  static final Map<String, Set<String>> LEAVES =
      Map.of("io", Set.of(), "math", Set.of("io"), "plot", Set.of("io", "math"));

  private static final Path[] SOURCES = {
    Path.of("src/main/java/org/antidote"), Path.of("../kernel/src/main/java/org/antidote")
  };
  private static final Pattern REFERENCE = Pattern.compile("\\borg\\.antidote\\.([a-z]+)\\b");
  private static final Pattern COMMENT =
      Pattern.compile("/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"", Pattern.DOTALL);

  static Set<String> allowed(String pkg) {
    Set<String> out = new TreeSet<>(LEAVES.getOrDefault(pkg, Set.of()));
    if (LEAVES.containsKey(pkg)) {
      return out;
    }
    out.addAll(LEAVES.keySet());
    int i = FLOW.indexOf(pkg);
    if (i >= 0) {
      out.addAll(FLOW.subList(0, i));
    } else if (BESIDE_STUDY.contains(pkg)) {
      out.addAll(FLOW.subList(0, FLOW.indexOf("study")));
    } else if (TOP.contains(pkg)) {
      out.addAll(FLOW);
      out.addAll(BESIDE_STUDY);
    } else {
      throw new AssertionError(
          "package org.antidote." + pkg + " is not on the stage map: add it to StageMapTest");
    }
    return out;
  }

  /** What each package's code references, by package. */
  static Map<String, Set<String>> uses() {
    Map<String, Set<String>> uses = new TreeMap<>();
    for (Path root : SOURCES) {
      try (Stream<Path> dirs = Files.list(root)) {
        for (Path dir : dirs.filter(Files::isDirectory).toList()) {
          String pkg = dir.getFileName().toString();
          Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
          try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
              String code = COMMENT.matcher(Files.readString(f)).replaceAll(" ");
              Matcher m = REFERENCE.matcher(code);
              while (m.find()) {
                if (!m.group(1).equals(pkg)) {
                  used.add(m.group(1));
                }
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return uses;
  }

  @Test
  void noStageReachesUpTheFlow() {
    Set<String> upward = new TreeSet<>();
    uses()
        .forEach(
            (pkg, used) -> {
              for (String u : used) {
                if (!allowed(pkg).contains(u)) {
                  upward.add(pkg + " -> " + u);
                }
              }
            });
    assertEquals(
        Set.of(), upward, "upward references (a stage uses only the stages before it): " + upward);
  }

  @Test
  void theMapRefusesWhatItForbids() {
    assertTrue(allowed("model").contains("tokenize"));
    assertTrue(!allowed("tokenize").contains("mix"), "tokenize comes before mix");
    assertTrue(
        !allowed("io").contains("math") && !allowed("plot").contains("corpus"),
        "leaves use no stage");
    assertTrue(!allowed("lens").contains("study") && allowed("cli").contains("study"));
  }

  @Test
  void everyPackageInfoStatesWhatItUsesAndWhatUsesIt() {
    Map<String, Set<String>> uses = uses();
    Map<String, Set<String>> usedBy = new TreeMap<>();
    uses.keySet().forEach(p -> usedBy.put(p, new TreeSet<>()));
    uses.forEach(
        (p, used) -> used.forEach(u -> usedBy.computeIfAbsent(u, k -> new TreeSet<>()).add(p)));
    List<String> wrong = new ArrayList<>();
    for (String pkg : uses.keySet()) {
      Path info = packageInfo(pkg);
      String text = read(info);
      check(wrong, pkg, "Uses", text, uses.get(pkg));
      check(wrong, pkg, "Used by", text, usedBy.get(pkg));
    }
    assertEquals(List.of(), wrong, "package-info.java lines out of date");
  }

  private static void check(
      List<String> wrong, String pkg, String label, String text, Set<String> actual) {
    // A paragraph of its own, so a formatter that reflows Javadoc keeps it apart; it may wrap.
    Matcher m = Pattern.compile("<p>" + label + ": (.*?)\\.", Pattern.DOTALL).matcher(text);
    if (!m.find()) {
      wrong.add(pkg + ": no '<p>" + label + ":' paragraph (should be: " + line(actual) + ")");
      return;
    }
    Set<String> stated = new LinkedHashSet<>();
    for (String s : m.group(1).replaceAll("\\s*\\*\\s*", " ").split(",")) {
      String name = s.replace("{@code", "").replace("}", "").trim();
      if (!name.isEmpty() && !name.equals("nothing")) {
        stated.add(name);
      }
    }
    if (!new TreeSet<>(stated).equals(actual)) {
      wrong.add(
          pkg + ": '" + label + ": " + String.join(", ", stated) + "' should be: " + line(actual));
    }
  }

  private static String line(Set<String> s) {
    return s.isEmpty() ? "nothing" : String.join(", ", s);
  }

  private static Path packageInfo(String pkg) {
    for (Path root : SOURCES) {
      Path p = root.resolve(pkg).resolve("package-info.java");
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new AssertionError("org.antidote." + pkg + " has no package-info.java");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
