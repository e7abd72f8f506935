package org.antidote.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.antidote.io.BadInputException;

/**
 * IJava's line magics, at the top of a cell: {@code %classpath PATH...} and {@code %jars GLOB...}
 * add jars or folders, {@code %maven group:artifact:version...} resolves artifacts (and what they
 * depend on) from the local Maven repository or Maven Central when reachable, {@code %time CODE}
 * (or {@code %%time} on a line of its own) reports how long the rest of the cell took.
 */
final class Magics {

  /** What is left of a cell after its magics, and whether to time it. */
  record Result(String source, boolean timed, List<String> messages) {}

  private final AntidoteKernel kernel;

  Magics(AntidoteKernel kernel) {
    this.kernel = kernel;
  }

  Result apply(String cell) throws Exception {
    List<String> lines = new ArrayList<>(List.of(cell.split("\n", -1)));
    List<String> messages = new ArrayList<>();
    boolean timed = false;
    while (!lines.isEmpty() && (lines.get(0).strip().startsWith("%") || lines.get(0).isBlank())) {
      String line = lines.remove(0).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] words = line.split("\\s+", 2);
      String name = words[0];
      String args = words.length > 1 ? words[1].strip() : "";
      switch (name) {
        case "%classpath", "%jars" -> messages.add(addPaths(args));
        case "%maven" -> messages.add(maven(args));
        case "%%time" -> timed = true;
        case "%time" -> {
          timed = true;
          if (!args.isEmpty()) {
            lines.add(0, args);
          }
          return new Result(String.join("\n", lines), true, messages);
        }
        default ->
            throw new BadInputException(
                "unknown magic " + name + "; known: %classpath, %jars, %maven, %time, %%time");
      }
    }
    return new Result(String.join("\n", lines), timed, messages);
  }

  private String addPaths(String args) throws IOException {
    if (args.isEmpty()) {
      throw new BadInputException("%classpath needs paths or globs, e.g. %classpath lib/*.jar");
    }
    List<String> added = new ArrayList<>();
    for (String spec : args.split("\\s+")) {
      for (Path p : expand(spec)) {
        kernel.addToClasspath(p.toAbsolutePath().toString());
        added.add(p.toString());
      }
    }
    return "added to the classpath: " + added;
  }

  /** A path, or a glob in its last parts ({@code lib/*.jar}); nothing matching is an error. */
  static List<Path> expand(String spec) throws IOException {
    if (!spec.contains("*") && !spec.contains("?")) {
      Path p = Path.of(spec);
      if (!Files.exists(p)) {
        throw new BadInputException(spec + ": no such file or folder");
      }
      return List.of(p);
    }
    int cut = spec.lastIndexOf('/', spec.indexOf('*') >= 0 ? spec.indexOf('*') : spec.indexOf('?'));
    Path base = cut < 0 ? Path.of(".") : Path.of(spec.substring(0, cut));
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + spec);
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(base, 8)) {
      s.filter(p -> m.matches(cut < 0 ? base.relativize(p) : p)).sorted().forEach(out::add);
    }
    if (out.isEmpty()) {
      throw new BadInputException(spec + ": matches no file");
    }
    return out;
  }

  /** Resolves coordinates with Maven (offline first, then online) and adds every jar. */
  private String maven(String args) throws Exception {
    if (args.isEmpty()) {
      throw new BadInputException(
          "%maven needs coordinates, e.g. %maven org.apache.commons:commons-math3:3.6.1");
    }
    StringBuilder deps = new StringBuilder();
    for (String coord : args.split("\\s+")) {
      String[] p = coord.split(":");
      if (p.length != 3) {
        throw new BadInputException("'" + coord + "' is not group:artifact:version");
      }
      deps.append("<dependency><groupId>")
          .append(p[0])
          .append("</groupId><artifactId>")
          .append(p[1])
          .append("</artifactId><version>")
          .append(p[2])
          .append("</version></dependency>");
    }
    Path dir = Files.createTempDirectory("antidote-maven-");
    Files.writeString(
        dir.resolve("pom.xml"),
        "<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId>"
            + "<artifactId>x</artifactId><version>1</version><dependencies>"
            + deps
            + "</dependencies></project>");
    Path out = dir.resolve("classpath.txt");
    String why = run(dir, out, true);
    if (why != null) {
      why = run(dir, out, false);
    }
    if (why != null) {
      throw new BadInputException("Maven could not resolve " + args + ":\n" + why);
    }
    List<String> jars = new ArrayList<>();
    for (String jar : Files.readString(out).strip().split(File.pathSeparator)) {
      if (!jar.isBlank()) {
        kernel.addToClasspath(jar);
        jars.add(Path.of(jar).getFileName().toString());
      }
    }
    return "added " + jars.size() + " jars: " + jars;
  }

  private static String run(Path dir, Path out, boolean offline) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("mvn", "-q", "-B"));
    if (offline) {
      cmd.add("-o");
    }
    cmd.addAll(List.of("dependency:build-classpath", "-Dmdep.outputFile=" + out));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return "mvn timed out";
    }
    return p.exitValue() == 0 && Files.isRegularFile(out) ? null : log;
  }
}
